import type { KeyValue, RunStatus } from '@trove/protocol';
import { TroveError } from '@trove/protocol';
import type { MetricInput, NestedLog } from '../types.ts';
import { encodeMetric } from '../wire.ts';

/** A metric point as the offline log keeps it: MLflow's wire shape (non-finite values as "NaN"/"Infinity" strings). */
export interface OfflineMetric {
  key: string;
  value: number | string;
  timestamp: number | bigint;
  step: number | bigint;
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

/**
 * One line of the offline log (`runs/<run>.jsonl`), a call the server did not get. `run_id` is
 * the server's id, or the `local_id` of a run created offline, which `trove sync` maps.
 */
export type OfflineRecord =
  | {
      op: 'create_run';
      local_id: string;
      experiment_id?: string;
      experiment_name?: string;
      run_name?: string;
      user_id?: string;
      start_time: number;
      tags: KeyValue[];
    }
  | { op: 'log_batch'; run_id: string; metrics: OfflineMetric[]; params: KeyValue[]; tags: KeyValue[] }
  | { op: 'log_nested'; run_id: string; body: NestedLog }
  | { op: 'update_run'; run_id: string; status?: RunStatus; end_time?: number }
  /** An artifact's bytes are in `blobs/<sha256>` beside the runs folder. */
  | { op: 'artifact'; run_id: string; path: string; blob: string };

/** The prefix of run ids made offline (`offline-<32 hex>`); the server's are 32 hex digits. */
export const OFFLINE_RUN_PREFIX = 'offline-';

/** The tag a run created by `trove sync` carries: the local id, so a second sync finds it instead of creating another. */
export const OFFLINE_ID_TAG = 'trove.offline_id';

export function toOfflineMetric(m: MetricInput): OfflineMetric {
  return encodeMetric(m) as unknown as OfflineMetric;
}

/** Back from the wire shape to what `TrackingClient.logBatch` takes. */
export function fromOfflineMetric(m: OfflineMetric): MetricInput {
  return {
    key: m.key,
    value: decodeDouble(m.value),
    timestamp: m.timestamp,
    step: m.step,
    modelId: m.model_id,
    datasetName: m.dataset_name,
    datasetDigest: m.dataset_digest,
  };
}

function decodeDouble(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new TroveError('INVALID_PARAMETER_VALUE', `Offline log holds a metric value that is not a number: ${v}.`);
}
