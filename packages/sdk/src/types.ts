import type { DatasetInput, Experiment, Int64, KeyValue, Metric, Run, RunStatus, ViewType } from '@trove/protocol';

/** Tags or params as a plain object (`{ team: 'vision' }`) or MLflow's `[{key, value}]` list. */
export type KeyValues = Record<string, string> | KeyValue[];

export interface CreateExperimentOptions {
  artifactLocation?: string;
  tags?: KeyValues;
}

/** Options of experiment search; `maxResults` is the page size. */
export interface SearchExperimentsOptions {
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  maxResults?: number;
  pageToken?: string;
}

export interface ExperimentsPage {
  experiments: Experiment[];
  nextPageToken?: string;
}

export interface CreateRunOptions {
  /** Default: the workspace's Default experiment ("0"). */
  experimentId?: string;
  runName?: string;
  userId?: string;
  /** Milliseconds since the epoch; default now. */
  startTime?: Int64;
  tags?: KeyValues;
}

export interface UpdateRunOptions {
  status?: RunStatus;
  endTime?: Int64;
  runName?: string;
}

/** Options of run search; `maxResults` is the page size. */
export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  runViewType?: ViewType;
  maxResults?: number;
  pageToken?: string;
}

export interface RunsPage {
  runs: Run[];
  nextPageToken?: string;
}

/** A metric point to log. `value` may be NaN or ±Infinity; `timestamp` defaults to now, `step` to 0. */
export interface MetricInput {
  key: string;
  value: number;
  timestamp?: Int64;
  step?: Int64;
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

export interface LogMetricOptions {
  step?: Int64;
  timestamp?: Int64;
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

export interface LogBatchInput {
  metrics?: MetricInput[];
  params?: KeyValues;
  tags?: KeyValues;
}

export interface LogInputsInput {
  datasets?: DatasetInput[];
  models?: { model_id: string }[];
}

/** A metric point as `get-history-bulk-interval` returns it: with its run. */
export type MetricWithRunId = Metric & { run_id: string };

export interface SampledHistoryOptions {
  /** At most this many steps (1..2500, default 2500), spread evenly over the range. */
  maxResults?: number;
  /** Step range; give both or neither. */
  startStep?: Int64;
  endStep?: Int64;
}

/** Body of Trove's native `POST /api/trove/v1/runs/:run_id/log`: nested objects, stored as `/` paths. */
export interface NestedLog {
  /** Nested params; leaves keep their JSON type (number, bool, string, array, null). */
  params?: Record<string, unknown>;
  /** Nested metrics; a leaf is a number (logged at `step`) or a list of `{step, value, timestamp?}` points. */
  metrics?: Record<string, unknown>;
  /** Nested tags; leaves must be strings. */
  tags?: Record<string, unknown>;
  /** Step of metric leaves given as bare numbers (default 0). */
  step?: Int64;
  /** Timestamp of metric leaves given as bare numbers (default now). */
  timestamp?: Int64;
}

export interface NestedLogResult {
  params: number;
  metric_points: number;
  tags: number;
}

/** A run's params with their native types, flat and as a tree. */
export interface TypedParams {
  params: { key: string; value: unknown; type: 'string' | 'number' | 'bool' | 'json' }[];
  tree: Record<string, unknown>;
}
