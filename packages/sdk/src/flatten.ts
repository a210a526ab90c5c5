import { flattenKeys } from '@trove/protocol';

/**
 * Flattens nested objects into `/`-separated keys, the way Trove's native endpoint stores them
 * (`flattenKeys` of @trove/protocol, which the server uses): `{ optimizer: { lr: 0.01 } }` →
 * `[['optimizer/lr', 0.01]]`. Arrays, null and empty objects are leaves. Unlike the native
 * endpoint, keys that already contain `/` (`{ 'train/loss': 0.3 }`) are kept as written: these go
 * through MLflow's log-batch, where such keys are MLflow's ordinary flat names.
 *
 * @example
 * flattenNested({ optimizer: { name: 'adam', lr: 0.01 } }); // [['optimizer/name', 'adam'], ['optimizer/lr', 0.01]]
 */
export function flattenNested(
  value: Record<string, unknown>,
  prefix = '',
  out: [string, unknown][] = [],
): [string, unknown][] {
  for (const entry of flattenKeys(prefix ? { [prefix]: value } : value, { slashInKey: 'keep' })) out.push(entry);
  return out;
}

/** The string MLflow sees for a param value (the same as Trove's native endpoint stores): JSON for arrays, objects and null. */
export function paramString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}
