import { invalidParam, stringifyJson } from '@trove/protocol';

export type ParamType = 'string' | 'number' | 'bool' | 'json';

/**
 * Flattens nested objects into `/`-separated paths: `{optimizer: {adam: {beta1: 0.9}}}` becomes
 * `optimizer/adam/beta1 = 0.9`. Arrays and null are leaves (stored as JSON).
 */
export function flatten(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.push([prefix, value]);
    for (const [k, v] of entries) {
      if (k === '' || k.includes('/'))
        throw invalidParam(`Invalid nested key '${k}' under '${prefix || '/'}': keys must be non-empty and may not contain '/'. Nest objects instead.`);
      flatten(v, prefix ? `${prefix}/${k}` : k, out);
    }
    return out;
  }
  if (!prefix) throw invalidParam('Expected a JSON object of named values.');
  out.push([prefix, value]);
  return out;
}

/** The string MLflow sees and the native type Trove keeps. */
export function typedParam(value: unknown): { value: string; valueType: ParamType } {
  if (typeof value === 'string') return { value, valueType: 'string' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidParam('Param values must be finite numbers.');
    return { value: String(value), valueType: 'number' };
  }
  if (typeof value === 'bigint') return { value: value.toString(), valueType: 'number' };
  if (typeof value === 'boolean') return { value: String(value), valueType: 'bool' };
  // stringifyJson: an array may hold integers beyond 2^53 (BigInt), which JSON.stringify refuses.
  return { value: stringifyJson(value), valueType: 'json' };
}

/** Back from storage: the typed value a native client gets. */
export function parseTypedParam(value: string, valueType: string): unknown {
  if (valueType === 'number') return Number(value);
  if (valueType === 'bool') return value === 'true';
  if (valueType === 'json') return JSON.parse(value) as unknown;
  return value;
}

/** Rebuilds the nested object from path keys (the inverse of {@link flatten}). */
export function unflatten(entries: [string, unknown][]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const parts = path.split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const leaf = parts[parts.length - 1];
    // A key that is both a leaf and a prefix (`a` and `a/b`) keeps its leaf under "".
    if (node[leaf] !== null && typeof node[leaf] === 'object' && !Array.isArray(node[leaf])) (node[leaf] as Record<string, unknown>)[''] = value;
    else node[leaf] = value;
  }
  return root;
}
