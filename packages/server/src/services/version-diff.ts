import type { ModelHistory, Run } from '@trove/protocol';

type HistoryRun = ModelHistory.HistoryRun;

export const GIT_COMMIT_TAG = 'mlflow.source.git.commit';

/** What a history shows of a run: params, latest metrics, git commit, dataset digests. */
export function historyRun(run: Run): HistoryRun {
  const tags = run.data.tags ?? [];
  const commit = tags.find((t) => t.key === GIT_COMMIT_TAG)?.value;
  return {
    run_id: run.info.run_id,
    run_name: run.info.run_name,
    experiment_id: run.info.experiment_id,
    status: run.info.status,
    lifecycle_stage: run.info.lifecycle_stage,
    params: Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value])),
    metrics: Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value as number | string])),
    ...(commit ? { git_commit: commit } : {}),
    datasets: (run.inputs?.dataset_inputs ?? []).map((d) => ({ name: d.dataset.name, digest: d.dataset.digest })),
  };
}

const datasetKey = (d: ModelHistory.DatasetDigest) => `${d.name}\u0000${d.digest}`;

/** Params added/removed/changed, metrics before → after, datasets, commit: from one version's run to the next's. */
export function diffRuns(
  fromVersion: string,
  toVersion: string,
  before: HistoryRun | undefined,
  after: HistoryRun | undefined,
): ModelHistory.VersionChange {
  const bp = before?.params ?? {};
  const ap = after?.params ?? {};
  const params: ModelHistory.VersionChange['params'] = { added: [], removed: [], changed: [] };
  for (const key of [...new Set([...Object.keys(bp), ...Object.keys(ap)])].sort()) {
    const b = key in bp ? bp[key] : null;
    const a = key in ap ? ap[key] : null;
    if (b === null) params.added.push({ key, before: null, after: a });
    else if (a === null) params.removed.push({ key, before: b, after: null });
    else if (a !== b) params.changed.push({ key, before: b, after: a });
  }
  const bm = before?.metrics ?? {};
  const am = after?.metrics ?? {};
  const metrics = [...new Set([...Object.keys(bm), ...Object.keys(am)])]
    .sort()
    .map((key) => ({ key, before: key in bm ? bm[key] : null, after: key in am ? am[key] : null }));
  const bd = new Map((before?.datasets ?? []).map((d) => [datasetKey(d), d]));
  const ad = new Map((after?.datasets ?? []).map((d) => [datasetKey(d), d]));
  const beforeCommit = before?.git_commit ?? null;
  const afterCommit = after?.git_commit ?? null;
  return {
    from_version: fromVersion,
    to_version: toVersion,
    ...(before ? { from_run: runRef(before) } : {}),
    ...(after ? { to_run: runRef(after) } : {}),
    params,
    metrics,
    datasets: {
      added: [...ad].filter(([k]) => !bd.has(k)).map(([, d]) => d),
      removed: [...bd].filter(([k]) => !ad.has(k)).map(([, d]) => d),
    },
    git_commit: { before: beforeCommit, after: afterCommit, changed: beforeCommit !== afterCommit },
  };
}

/** A run named in a change: no params/metrics again (the change lists them). */
function runRef(r: HistoryRun): HistoryRun {
  return r.missing
    ? { run_id: r.run_id, missing: true }
    : { run_id: r.run_id, run_name: r.run_name, experiment_id: r.experiment_id, lifecycle_stage: r.lifecycle_stage };
}
