import { ModelHistory, type Run } from '@trove/protocol';
import {
  activeVersionsNewestFirst,
  childMetricValues,
  countChildMetricKeys,
  findWorkspaceRunsByUuid,
  isVisible,
  listChildRuns,
  loadRuns,
  type ModelVersionRow,
  type Store,
  type Visibility,
} from '@trove/store';
import type { ModelVersionService } from './model-version.service.ts';
import { metricFromTags, mostLoggedKey, orderFor, rankChildren } from './sweep-rank.ts';
import { diffRuns, historyRun } from './version-diff.ts';
import type { Workspace } from './workspace.service.ts';

type HistoryRun = ModelHistory.HistoryRun;

const PARENT_TAG = 'mlflow.parentRunId';

/** A version's run: its `run_id`, else the run a `runs:/<id>/…` source names. */
const runIdOf = (row: ModelVersionRow) => row.run_id || /^runs:\/([^/]+)/.exec(row.source)?.[1] || undefined;

/**
 * A model version's history from before registration: its run, the sweep that run belonged to
 * (siblings ranked on the sweep's metric), and what changed between consecutive earlier versions.
 * Runs that are gone, or in experiments the caller may not read, come back as `missing`.
 */
export function createModelHistoryService(store: Store, versions: ModelVersionService) {
  const { db } = store;

  async function loadVisible(ws: Workspace, uuids: string[], visible?: Visibility<number>): Promise<Map<string, Run>> {
    const unique = [...new Set(uuids)];
    if (unique.length === 0) return new Map();
    const refs = (await findWorkspaceRunsByUuid(db, ws.id, unique)).filter((r) => isVisible(visible, r.experiment_id));
    const runs = await loadRuns(
      db,
      refs.map((r) => r.id),
    );
    return new Map(runs.map((r) => [r.info.run_id, r]));
  }

  const present = (runs: Map<string, Run>, id: string): HistoryRun => {
    const run = runs.get(id);
    return run ? historyRun(run) : { run_id: id, missing: true };
  };

  async function sweep(
    ws: Workspace,
    run: Run,
    input: { metric?: string; order?: 'asc' | 'desc' },
    visible?: Visibility<number>,
  ): Promise<ModelHistory.Sweep | undefined> {
    const parentId = run.data.tags?.find((t) => t.key === PARENT_TAG)?.value;
    if (!parentId) return undefined;
    const parentRun = (await loadVisible(ws, [parentId], visible)).get(parentId);
    const children = (await listChildRuns(db, ws.id, parentId)).filter((c) => isVisible(visible, c.experiment_id));
    let metric = input.metric || undefined;
    let source: ModelHistory.MetricSource | undefined = metric ? 'request' : undefined;
    if (!metric && parentRun) {
      metric = metricFromTags(parentRun.data.tags ?? []);
      if (metric) source = 'parent_tag';
    }
    if (!metric) {
      metric = mostLoggedKey(await countChildMetricKeys(db, ws.id, parentId));
      if (metric) source = 'most_logged';
    }
    const { order, order_source } = orderFor(metric, input.order);
    const values = new Map<number, number | null>();
    if (metric)
      for (const v of await childMetricValues(db, ws.id, parentId, metric))
        values.set(v.run_id, v.is_nan ? null : v.value);
    const ranking = rankChildren(
      children.map((c) => ({ run_id: c.run_uuid, run_name: c.name, value: values.get(c.id) ?? null })),
      order,
      run.info.run_id,
    );
    return {
      parent: parentRun ? parentSummary(parentRun) : { run_id: parentId, missing: true },
      ...(metric ? { metric, metric_source: source } : {}),
      order,
      order_source,
      sibling_count: children.length,
      ...ranking,
    };
  }

  async function get(
    ws: Workspace,
    name: string,
    version: string,
    input: { metric?: string; order?: 'asc' | 'desc' },
    visible?: Visibility<number>,
  ): Promise<ModelHistory.ModelHistoryResponse> {
    const row = await versions.getRow(ws, name, version);
    const upTo = (await activeVersionsNewestFirst(db, row.model_id)).filter((v) => v.version <= row.version);
    const compared = upTo.slice(0, ModelHistory.VERSIONS_COMPARED).reverse();
    const runs = await loadVisible(
      ws,
      compared.map(runIdOf).filter((id): id is string => id !== undefined),
      visible,
    );
    const runOf = (v: ModelVersionRow) => {
      const id = runIdOf(v);
      return id === undefined ? undefined : present(runs, id);
    };
    const ownId = runIdOf(row);
    const own = ownId ? runs.get(ownId) : undefined;
    const changes: ModelHistory.VersionChange[] = [];
    for (let i = compared.length - 1; i > 0; i--)
      changes.push(
        diffRuns(
          String(compared[i - 1].version),
          String(compared[i].version),
          runOf(compared[i - 1]),
          runOf(compared[i]),
        ),
      );
    const sweepInfo = own ? await sweep(ws, own, input, visible) : undefined;
    return {
      model_version: { name: row.name, version: String(row.version) },
      ...(ownId ? { run: present(runs, ownId) } : {}),
      ...(sweepInfo ? { sweep: sweepInfo } : {}),
      versions: compared.map((v) => ({
        version: String(v.version),
        ...(runIdOf(v) ? { run_id: runIdOf(v) } : {}),
        creation_time: v.creation_time,
      })),
      version_count: upTo.length,
      changes,
    };
  }

  return { get };
}

/** The parent of a sweep: who it is, not its params. */
function parentSummary(run: Run): HistoryRun {
  const { params: _p, metrics: _m, datasets: _d, ...rest } = historyRun(run);
  return rest;
}

export type ModelHistoryService = ReturnType<typeof createModelHistoryService>;
