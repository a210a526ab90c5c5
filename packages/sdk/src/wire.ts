import type { KeyValue } from '@trove/protocol';
import type { KeyValues, MetricInput } from './types.ts';

/** `{a: '1'}` or `[{key: 'a', value: '1'}]` → MLflow's `[{key, value}]`. */
export function toKeyValues(values: KeyValues | undefined): KeyValue[] {
  if (values === undefined) return [];
  if (Array.isArray(values)) return values;
  return Object.entries(values).map(([key, value]) => ({ key, value: String(value) }));
}

/**
 * A double as MLflow's JSON writes it: non-finite values become the strings `"NaN"`,
 * `"Infinity"` and `"-Infinity"` (JSON.stringify would turn them into `null`).
 */
export function encodeDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** A metric point in MLflow's wire shape, with defaults filled in (timestamp now, step 0). */
export function encodeMetric(m: MetricInput, now = Date.now()): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: m.key,
    value: encodeDouble(m.value),
    timestamp: m.timestamp ?? now,
    step: m.step ?? 0,
  };
  if (m.modelId !== undefined) out.model_id = m.modelId;
  if (m.datasetName !== undefined) out.dataset_name = m.datasetName;
  if (m.datasetDigest !== undefined) out.dataset_digest = m.datasetDigest;
  return out;
}

/** Non-finite numbers anywhere inside a nested metrics object, written as MLflow's JSON strings. */
export function encodeNestedDoubles(value: unknown): unknown {
  if (typeof value === 'number') return encodeDouble(value);
  if (Array.isArray(value)) return value.map(encodeNestedDoubles);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeNestedDoubles(v)]));
  return value;
}
