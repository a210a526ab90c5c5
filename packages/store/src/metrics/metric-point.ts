import { DOUBLE_MAX } from '@trove/protocol';

/** A validated metric point, ready to store. `value` is finite; NaN travels as `isNan`. */
export interface MetricPoint {
  key: string;
  value: number;
  isNan: 0 | 1;
  timestamp: number | bigint;
  step: number | bigint;
  modelId: string | null;
  datasetName: string | null;
  datasetDigest: string | null;
}

/** MLflow stores NaN with a flag and ±Infinity as ±DBL_MAX. */
export function storedValue(value: number): { value: number; isNan: 0 | 1 } {
  if (Number.isNaN(value)) return { value: 0, isNan: 1 };
  if (value === Number.POSITIVE_INFINITY) return { value: DOUBLE_MAX, isNan: 0 };
  if (value === Number.NEGATIVE_INFINITY) return { value: -DOUBLE_MAX, isNan: 0 };
  return { value, isNan: 0 };
}

/** MLflow's "latest" order: (step, timestamp, value), greatest wins. */
export function isLater(
  a: { step: number | bigint; timestamp: number | bigint; value: number },
  b: { step: number | bigint; timestamp: number | bigint; value: number },
): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

/** A point's place in MLflow's history order: (timestamp, step, is_nan, value). */
export interface HistoryKey {
  timestamp: number | bigint;
  step: number | bigint;
  isNan: number;
  value: number;
}

/** Compares two points in history order; int64 fields may mix numbers and BigInts. */
export function compareHistory(a: HistoryKey, b: HistoryKey): number {
  if (a.timestamp < b.timestamp) return -1;
  if (a.timestamp > b.timestamp) return 1;
  if (a.step < b.step) return -1;
  if (a.step > b.step) return 1;
  if (a.isNan !== b.isNan) return a.isNan - b.isNan;
  if (a.isNan) return 0;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
