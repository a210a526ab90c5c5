import { invalidParam, stringifyJson } from '@trove/protocol';

export type ParamType = 'string' | 'number' | 'bool' | 'json';

/**
 * Nested keys are flattened to `/` paths by @trove/protocol's `flattenKeys` (a key holding `/` is
 * refused), the one implementation the SDK shares; `unflatten` rebuilds the tree on read.
 */
export { flattenKeys as flatten, unflattenKeys as unflatten } from '@trove/protocol';

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
