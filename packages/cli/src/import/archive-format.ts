import type {
  ImportArtifact,
  ImportLoggedModel,
  ImportLoggedModelMetric,
  ImportMetricPoint,
  ImportRun,
} from '@trove/protocol';

/**
 * The portable archive `trove export` writes and `trove import trove` reads (a tar, gzipped when the
 * name ends in .gz); docs/import-export.md describes it. Everything sits under one folder.
 */
export const ARCHIVE_ROOT = 'trove-archive';
export const ARCHIVE_FORMAT = { format: 'trove-archive', version: 1 } as const;

export const archivePaths = {
  manifest: `${ARCHIVE_ROOT}/manifest.json`,
  experiments: `${ARCHIVE_ROOT}/experiments.json`,
  models: `${ARCHIVE_ROOT}/models.json`,
  run: (experimentId: string, runId: string) => `${ARCHIVE_ROOT}/runs/${experimentId}/${runId}.json`,
  metrics: (runId: string) => `${ARCHIVE_ROOT}/metrics/${runId}.jsonl`,
  loggedModel: (experimentId: string, modelId: string) =>
    `${ARCHIVE_ROOT}/logged-models/${experimentId}/${modelId}.json`,
  /** A run's file, or a logged model's (its `m-…` id never looks like a run id). */
  artifact: (runId: string, path: string) => `${ARCHIVE_ROOT}/artifacts/${runId}/${path}`,
};

/** A run's file: the run and the list of its artifacts (sizes let the reader check what it unpacked). */
export interface ArchivedRun extends ImportRun {
  artifacts: ImportArtifact[];
}

/**
 * A logged model's file: the model with its params, tags and metric points (NaN and ±Infinity as
 * strings, as in the metric lines), and its artifacts' list.
 */
export interface ArchivedLoggedModel extends Omit<ImportLoggedModel, 'metrics'> {
  metrics: (Omit<ImportLoggedModelMetric, 'value'> & { value: number | string })[];
  artifacts: ImportArtifact[];
}

export function archiveLoggedModel(m: ImportLoggedModel, artifacts: ImportArtifact[]): ArchivedLoggedModel {
  return {
    ...m,
    metrics: m.metrics.map((p) => ({ ...p, value: Number.isFinite(p.value) ? p.value : String(p.value) })),
    artifacts,
  };
}

export function restoreLoggedModel(a: ArchivedLoggedModel): ImportLoggedModel {
  const { artifacts: _a, ...m } = a;
  return { ...m, metrics: m.metrics.map((p) => ({ ...p, value: Number(p.value) })) };
}

/** One metric point per line, `[key, value, timestamp, step]`, NaN and ±Infinity as strings (JSON has none). */
export function pointLine(p: ImportMetricPoint): string {
  const v = Number.isFinite(p.value) ? p.value : String(p.value);
  return JSON.stringify([p.key, v, p.timestamp, p.step]);
}

export function parsePointLine(line: string): ImportMetricPoint {
  const [key, v, timestamp, step] = JSON.parse(line) as [string, number | string, number, number];
  return { key, value: typeof v === 'number' ? v : Number(v), timestamp, step };
}
