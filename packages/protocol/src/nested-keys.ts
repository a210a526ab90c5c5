import { invalidParam } from './errors.ts';

// Nested params, metrics and tags as `/`-separated keys: `{optimizer: {adam: {beta1: 0.9}}}` is
// stored as `optimizer/adam/beta1 = 0.9`. Trove's native logging endpoint flattens what clients
// send with these rules and rebuilds the tree on read; the SDK flattens the same way before it
// sends nested values through MLflow's log-batch.

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface FlattenOptions {
  /**
   * What a key holding `/` is. `'reject'` (the default: what the native endpoint stores) refuses it
   * with INVALID_PARAMETER_VALUE, so that every path segment is one object key and
   * {@link unflattenKeys} rebuilds the object sent. `'keep'` writes it as given, for callers whose
   * keys are MLflow's own flat names (`{'train/loss': 0.3}`): the SDK's log-batch path.
   */
  slashInKey?: 'reject' | 'keep';
}

/**
 * Flattens nested objects into `/`-separated paths, depth first in key order. Arrays, null and
 * empty objects are leaves (an empty object at the top level yields nothing); keys must be
 * non-empty. The value itself must be an object of named values.
 *
 * @example
 * flattenKeys({ optimizer: { name: 'adam', lr: 0.01 } }); // [['optimizer/name', 'adam'], ['optimizer/lr', 0.01]]
 */
export function flattenKeys(value: unknown, options: FlattenOptions = {}): [string, unknown][] {
  if (!isObject(value)) throw invalidParam('Expected a JSON object of named values.');
  const out: [string, unknown][] = [];
  walk(value, '', options.slashInKey === 'keep', out);
  return out;
}

function walk(value: Record<string, unknown>, prefix: string, keepSlash: boolean, out: [string, unknown][]): void {
  const entries = Object.entries(value);
  if (entries.length === 0 && prefix) out.push([prefix, value]);
  for (const [k, v] of entries) {
    if (k === '' || (!keepSlash && k.includes('/'))) {
      throw invalidParam(
        keepSlash
          ? `Invalid nested key '' under '${prefix || '/'}': keys must be non-empty.`
          : `Invalid nested key '${k}' under '${prefix || '/'}': keys must be non-empty and may not contain '/'. Nest objects instead.`,
      );
    }
    const key = prefix ? `${prefix}/${k}` : k;
    if (isObject(v)) walk(v, key, keepSlash, out);
    else out.push([key, v]);
  }
}

/**
 * Rebuilds the nested object from path keys: the inverse of {@link flattenKeys} (with `/` refused).
 * A key that is both a leaf and a prefix (`a` and `a/b`) keeps its leaf under "" when the longer
 * key comes first; a leaf followed by a longer key (`a`, then `a/b`: key order) is replaced by it.
 */
export function unflattenKeys(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const parts = path.split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (!isObject(node[part])) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const leaf = parts[parts.length - 1];
    if (isObject(node[leaf])) (node[leaf] as Record<string, unknown>)[''] = value;
    else node[leaf] = value;
  }
  return root;
}
