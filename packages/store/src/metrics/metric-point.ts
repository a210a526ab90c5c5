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
export function isLater(a: { step: number | bigint; timestamp: number | bigint; value: number }, b: { step: number | bigint; timestamp: number | bigint; value: number }): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}
