import { asInt64, describeValue, invalidParam, missing, toDouble, validateKey } from '@trove/protocol';
import { type MetricPoint, storedValue } from '@trove/store';

function int64(v: unknown, field: string): number | bigint {
  const n = asInt64(v);
  if (n !== undefined) return n;
  throw invalidParam(`Invalid value ${describeValue(v)} for parameter '${field}' supplied.`);
}

/**
 * Validates one metric of a request (hand-written: this runs 1000 times per log-batch).
 * `field` names it in errors the way MLflow does, e.g. `metrics[3]`.
 */
export function readMetric(m: Record<string, unknown>, field: string, validKeys?: Set<string>): MetricPoint {
  if (m === null || typeof m !== 'object')
    throw invalidParam(`Invalid value for parameter '${field}' supplied: expected an object.`);
  const { key, value, timestamp } = m;
  if (typeof key !== 'string' || key === '') throw missing(`${field}.key`);
  // A batch repeats a few keys many times: each distinct key is validated once per request.
  if (!validKeys?.has(key)) {
    validateKey(key, 'metric name');
    validKeys?.add(key);
  }
  if (value === undefined || value === null) throw missing(`${field}.value`);
  if (
    typeof value === 'boolean' ||
    (typeof value === 'string' && !(value === 'NaN' || value === 'Infinity' || value === '-Infinity'))
  ) {
    throw invalidParam(
      `Got invalid value ${describeValue(value)} for metric '${key}' (timestamp=${describeValue(timestamp)}). Please specify value as a valid double (64-bit floating point)`,
    );
  }
  if (timestamp === undefined || timestamp === null) throw missing(`${field}.timestamp`);
  const ts = int64(timestamp, `${field}.timestamp`);
  if (ts < 0)
    throw invalidParam(`Metric '${key}' has a negative timestamp ${ts}; timestamps are milliseconds since the epoch.`);
  const step = m.step === undefined || m.step === null ? 0 : int64(m.step, `${field}.step`);
  const stored = storedValue(toDouble(`${field}.value`, value, false));
  return {
    key,
    value: stored.value,
    isNan: stored.isNan,
    timestamp: ts,
    step,
    modelId: typeof m.model_id === 'string' && m.model_id !== '' ? m.model_id : null,
    datasetName: typeof m.dataset_name === 'string' && m.dataset_name !== '' ? m.dataset_name : null,
    datasetDigest: typeof m.dataset_digest === 'string' && m.dataset_digest !== '' ? m.dataset_digest : null,
  };
}
