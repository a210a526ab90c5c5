import { invalidParam } from '@trove/protocol';

/**
 * Flattens nested objects into `/`-separated keys, the way Trove's native endpoint stores them:
 * `{ optimizer: { lr: 0.01 } }` → `[['optimizer/lr', 0.01]]`. Arrays, null and empty objects are leaves.
 * Keys that already contain `/` (`{ 'train/loss': 0.3 }`) are kept as written.
 *
 * @example
 * flattenNested({ optimizer: { name: 'adam', lr: 0.01 } }); // [['optimizer/name', 'adam'], ['optimizer/lr', 0.01]]
 */
export function flattenNested(value: Record<string, unknown>, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  const entries = Object.entries(value);
  if (entries.length === 0 && prefix) out.push([prefix, value]);
  for (const [k, v] of entries) {
    if (k === '') throw invalidParam(`Invalid empty key under '${prefix || '/'}'.`);
    const key = prefix ? `${prefix}/${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenNested(v as Record<string, unknown>, key, out);
    else out.push([key, v]);
  }
  return out;
}

/** The string MLflow sees for a param value (the same as Trove's native endpoint stores): JSON for arrays, objects and null. */
export function paramString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}
