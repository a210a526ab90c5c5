import type { ImportArtifact, ImportMetricPoint, ImportRun } from '@trove/protocol';
import {
  insertImportedRun,
  insertRunModelEdges,
  linkRunDataset,
  type MetricPoint,
  runInTransaction,
  storedValue,
} from '@trove/store';
import { copyWithChecksum } from './artifact-copy.ts';
import { proxiedKey } from './artifact-tree.ts';
import type { ImportSource } from './import-source.ts';
import type { TroveTarget } from './trove-target.ts';

/**
 * Where a run's artifacts live in Trove: a proxied URI is kept as it is (so `runs:/` and stored
 * model sources resolve unchanged) unless the run moves to another experiment id (MLflow's Default
 * in a workspace other than `default`); anything else (a local path, `s3://`) is copied under the
 * proxy as Trove's own runs are.
 */
export function targetArtifactUri(run: ImportRun, targetExperimentId: number): string {
  const uri = run.info.artifact_uri;
  if (proxiedKey(uri) !== undefined && run.info.experiment_id === String(targetExperimentId)) return uri;
  return `mlflow-artifacts:/${targetExperimentId}/${run.info.run_id}/artifacts`;
}

function toPoint(p: ImportMetricPoint): MetricPoint {
  const { value, isNan } = storedValue(p.value);
  return {
    key: p.key,
    value,
    isNan,
    timestamp: p.timestamp,
    step: p.step,
    modelId: null,
    datasetName: null,
    datasetDigest: null,
  };
}

/** The SHA-256 of each artifact copied, by path. */
export type Checksums = Map<string, string>;

export interface RunWriteHooks {
  onPoints?(n: number): void;
  onArtifactBytes?(n: number): void;
  /** Called after the run's rows and metrics are written, before its artifacts (tests interrupt here). */
  afterRunData?(runUuid: string): void;
  /** The same for a logged model: after its rows, before its artifacts. */
  afterLoggedModelData?(modelId: string): void;
}

/**
 * Writes one run: its row with the source's id, times, status and lifecycle, dataset inputs, then
 * params, tags and every metric point through the ingest writer (pages of the source's size), then
 * its artifacts (`files`, as listed from the source). Not one transaction: the checkpoint marks the run started first, and a resumed
 * import removes a half-written run before writing it again.
 */
export async function writeRun(
  target: TroveTarget,
  source: ImportSource,
  run: ImportRun,
  experimentId: number,
  files: readonly ImportArtifact[],
  hooks: RunWriteHooks = {},
): Promise<{ checksums: Checksums; points: number }> {
  const uuid = run.info.run_id;
  const artifactUri = targetArtifactUri(run, experimentId);
  const runId = await runInTransaction(target.store, async (tx) => {
    const id = await insertImportedRun(tx, {
      runUuid: uuid,
      experimentId,
      name: run.info.run_name,
      userId: run.info.user_id,
      status: run.info.status,
      startTime: Number(run.info.start_time),
      endTime: run.info.end_time === undefined ? null : Number(run.info.end_time),
      artifactUri,
      lifecycleStage: run.info.lifecycle_stage,
      deletedTime:
        run.info.lifecycle_stage === 'deleted' ? (run.info.deleted_time ?? Number(run.info.start_time)) : null,
    });
    for (const input of run.inputs) {
      const d = input.dataset;
      await linkRunDataset(
        tx,
        id,
        experimentId,
        {
          name: d.name,
          digest: d.digest,
          source_type: d.source_type,
          source: d.source,
          schema: d.schema ?? null,
          profile: d.profile ?? null,
        },
        JSON.stringify(input.tags ?? []),
      );
    }
    await insertRunModelEdges(
      tx,
      id,
      'input',
      (run.modelInputs ?? []).map((m) => ({ model_id: m.model_id, step: 0 })),
    );
    await insertRunModelEdges(tx, id, 'output', run.modelOutputs ?? []);
    return id;
  });
  const params = run.params.map((p) => ({ key: p.key, value: p.value, valueType: 'string' }));
  let first = true;
  let points = 0;
  for await (const page of source.metrics(run)) {
    points += page.length;
    await target.writer.write(runId, uuid, {
      params: first ? params : [],
      tags: first ? run.tags : [],
      metrics: page.map(toPoint),
    });
    first = false;
    hooks.onPoints?.(page.length);
  }
  if (first && (params.length > 0 || run.tags.length > 0))
    await target.writer.write(runId, uuid, { params, tags: run.tags, metrics: [] });
  hooks.afterRunData?.(uuid);

  const checksums: Checksums = new Map();
  const root = proxiedKey(artifactUri) as string;
  for (const a of files) {
    const body = await source.openArtifact(run, a.path);
    const { sha256, size } = await copyWithChecksum(body, target.artifacts, `${root}/${a.path}`);
    checksums.set(a.path, sha256);
    hooks.onArtifactBytes?.(size);
  }
  return { checksums, points };
}
