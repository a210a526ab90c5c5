import { defineMessage, enumOf, str } from '../message.ts';

// A model version's history from before registration
// (`GET /api/trove/v1/registered-models/{name}/versions/{version}/history`): the run that made it,
// the sweep that run was part of, and what changed from each earlier version to the next.

export const HistoryRequest = defineMessage({ metric: str(), order: enumOf(['asc', 'desc'] as const) });

export interface DatasetDigest {
  name: string;
  digest: string;
}

/** A version's source run; `missing` when the run id names no run (purged) or one the caller may not read. */
export interface HistoryRun {
  run_id: string;
  missing?: boolean;
  run_name?: string;
  experiment_id?: string;
  status?: string;
  lifecycle_stage?: string;
  params?: Record<string, string>;
  /** Latest value per key ('NaN' as MLflow writes it). */
  metrics?: Record<string, number | string>;
  /** `mlflow.source.git.commit`. */
  git_commit?: string;
  datasets?: DatasetDigest[];
}

export interface SweepSibling {
  run_id: string;
  run_name: string;
  /** The chosen metric's latest value; null when the run did not log it. */
  value: number | null;
  /** 1-based among the children that logged the metric. */
  rank?: number;
}

/** How the metric was chosen: the request, the parent's sweep tag, or the key most children logged. */
export type MetricSource = 'request' | 'parent_tag' | 'most_logged';

export interface Sweep {
  parent: HistoryRun;
  metric?: string;
  metric_source?: MetricSource;
  /** asc: lower is better (keys with loss/error/rmse/mae, unless `?order=`). */
  order: 'asc' | 'desc';
  order_source: 'request' | 'key_name';
  /** Every active child of the parent, this run included. */
  sibling_count: number;
  /** Children that logged the metric. */
  ranked_count: number;
  /** This run's rank among them. */
  rank?: number;
  /** The best `SIBLINGS_SHOWN` by the metric, then this run if it is not among them. */
  siblings: SweepSibling[];
}

export interface ValueChange<T> {
  key: string;
  before: T | null;
  after: T | null;
}

/** What changed from `from_version` to `to_version` (consecutive versions of the model). */
export interface VersionChange {
  from_version: string;
  to_version: string;
  from_run?: HistoryRun;
  to_run?: HistoryRun;
  params: { added: ValueChange<string>[]; removed: ValueChange<string>[]; changed: ValueChange<string>[] };
  /** Every metric either run logged, before → after. */
  metrics: ValueChange<number | string>[];
  datasets: { added: DatasetDigest[]; removed: DatasetDigest[] };
  git_commit: { before: string | null; after: string | null; changed: boolean };
}

export interface ModelHistoryResponse {
  model_version: { name: string; version: string };
  run?: HistoryRun;
  sweep?: Sweep;
  /** Active versions up to this one, oldest first (the last `VERSIONS_COMPARED`). */
  versions: { version: string; run_id?: string; creation_time: number }[];
  /** How many active versions up to this one there are. */
  version_count: number;
  /** Consecutive pairs among `versions`, newest first. */
  changes: VersionChange[];
}

export const SIBLINGS_SHOWN = 50;
export const VERSIONS_COMPARED = 20;
