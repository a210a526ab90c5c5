import { describeValue } from './describe-value.ts';
import { invalidParam, TroveError } from './errors.ts';
import { topLevelNumberText } from './json.ts';

/**
 * Request messages are described field by field, the way MLflow's protos do, so one decoder
 * can apply protobuf-JSON rules to POST bodies and MLflow's query-string rules to GETs
 * (repeated keys, first occurrence wins, numbers and enums as strings).
 */
export type FieldKind = 'string' | 'int64' | 'int32' | 'double' | 'bool' | 'object' | { enum: readonly string[] };

export interface FieldSpec {
  kind: FieldKind;
  repeated?: boolean;
  required?: boolean;
}

export type MessageSpec = Record<string, FieldSpec>;

type Scalar<K> = K extends 'string'
  ? string
  : K extends 'int64' | 'int32'
    ? number | bigint
    : K extends 'double'
      ? number
      : K extends 'bool'
        ? boolean
        : K extends 'object'
          ? Record<string, unknown>
          : K extends { enum: readonly (infer E)[] }
            ? E
            : never;

type FieldValue<F extends FieldSpec> = F['repeated'] extends true ? Scalar<F['kind']>[] : Scalar<F['kind']>;

/** The decoded request: required fields are present, the rest may be undefined. */
export type Decoded<M extends MessageSpec> = {
  [K in keyof M as M[K]['required'] extends true ? K : never]: FieldValue<M[K]>;
} & {
  [K in keyof M as M[K]['required'] extends true ? never : K]?: FieldValue<M[K]>;
};

type Spec<K extends FieldKind, R extends boolean, Rep extends boolean> = { kind: K; required: R; repeated: Rep };

function field<K extends FieldKind, Rep extends boolean>(kind: K, repeated: Rep) {
  return <R extends boolean = false>(required?: R): Spec<K, R, Rep> => ({
    kind,
    required: (required ?? false) as R,
    repeated,
  });
}

export const str = field('string', false);
export const i64 = field('int64', false);
export const i32 = field('int32', false);
export const dbl = field('double', false);
export const bool = field('bool', false);
export const obj = field('object', false);
export const strList = field('string', true);
export const objList = field('object', true);
export const enumOf = <const E extends readonly string[], R extends boolean = false>(
  values: E,
  required?: R,
): Spec<{ enum: E }, R, false> => ({
  kind: { enum: values },
  required: (required ?? false) as R,
  repeated: false,
});

export function defineMessage<M extends MessageSpec>(spec: M): M {
  return spec;
}

export function missing(name: string): Error {
  return invalidParam(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
}

/** A refused field value; the message is MLflow's (`Invalid value "foo" for parameter 'step' supplied.`). */
class BadValue extends TroveError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    shown: string,
  ) {
    super('INVALID_PARAMETER_VALUE', `Invalid value ${shown} for parameter '${field}' supplied.`);
  }
}

function badValue(name: string, value: unknown): Error {
  return new BadValue(name, value, describeValue(value));
}

function badValueText(name: string, shown: string): Error {
  return new BadValue(name, undefined, shown);
}

const INT_RE = /^-?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MAX = 2 ** 31 - 1;

/** An int64 from a JSON number, BigInt or decimal string; undefined when it is not one or out of range. */
export function asInt64(v: unknown): number | bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  let big: bigint;
  if (typeof v === 'bigint') big = v;
  else if (typeof v === 'string' && INT_RE.test(v.trim())) big = BigInt(v.trim());
  else return undefined;
  if (big < INT64_MIN || big > INT64_MAX) return undefined;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big;
}

function toInt(name: string, v: unknown, bits: 32 | 64): number | bigint {
  const n = asInt64(v);
  if (n === undefined) throw badValue(name, v);
  if (bits === 32 && (typeof n === 'bigint' || n > INT32_MAX || n < -INT32_MAX - 1)) throw badValue(name, v);
  return n;
}

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

export function toDouble(name: string, v: unknown, fromQuery: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    if (v in NON_FINITE) return NON_FINITE[v];
    if (fromQuery && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  throw badValue(name, v);
}

function decodeScalar(name: string, kind: FieldKind, v: unknown, fromQuery: boolean): unknown {
  if (kind === 'string') {
    if (typeof v === 'string') return v;
    // Legacy clients sent experiment ids as numbers; MLflow converts them before parsing.
    if ((typeof v === 'number' || typeof v === 'bigint') && name.startsWith('experiment_id')) return String(v);
    throw badValue(name, v);
  }
  if (kind === 'int64' || kind === 'int32') return toInt(name, v, kind === 'int64' ? 64 : 32);
  if (kind === 'double') return toDouble(name, v, fromQuery);
  if (kind === 'bool') {
    if (typeof v === 'boolean') return v;
    if (fromQuery && typeof v === 'string') {
      const lower = v.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
    }
    throw badValue(name, v);
  }
  if (kind === 'object') {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
    throw badValue(name, v);
  }
  const values = kind.enum;
  if (typeof v === 'string' && values.includes(v)) return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= values.length) return values[v - 1];
  if (typeof v === 'string' && fromQuery && INT_RE.test(v)) return decodeScalar(name, kind, Number(v), false);
  throw badValue(name, v);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Decodes a JSON body (already parsed) against a message spec; unknown fields are ignored. */
/**
 * Decodes a JSON body (already parsed) against a message spec; unknown fields are ignored. Given
 * the body's source text, a refused number is quoted as written (`Invalid value 9.0 ...`).
 */
export function decodeBody<M extends MessageSpec>(spec: M, body: unknown, sourceText?: string): Decoded<M> {
  const src: Record<string, unknown> =
    body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  try {
    return decode(spec, (name) => src[name], false);
  } catch (e) {
    const refused = e instanceof BadValue ? e : undefined;
    const written =
      refused && sourceText !== undefined && typeof refused.value === 'number'
        ? topLevelNumberText(sourceText, refused.field)
        : undefined;
    throw written === undefined ? e : badValueText(refused?.field ?? '', written);
  }
}

/** Decodes a query string given as name → all its values, in order. */
export function decodeQuery<M extends MessageSpec>(
  spec: M,
  query: Record<string, string | string[] | undefined>,
): Decoded<M> {
  return decode(
    spec,
    (name) => {
      const raw = query[name];
      if (raw === undefined) return undefined;
      const all = Array.isArray(raw) ? raw : [raw];
      return spec[name].repeated ? all : all[0];
    },
    true,
  );
}

function decode<M extends MessageSpec>(spec: M, get: (name: string) => unknown, fromQuery: boolean): Decoded<M> {
  const out: Record<string, unknown> = {};
  for (const name in spec) {
    const field = spec[name];
    const raw = get(name);
    // isEmpty is false for numbers and booleans, so 0 and false count as given.
    if (field.required && isEmpty(raw)) throw missing(name);
    if (raw === undefined || raw === null) continue;
    if (field.repeated) {
      if (!Array.isArray(raw)) throw badValue(name, raw);
      out[name] = raw.map((item) => decodeScalar(name, field.kind, item, fromQuery));
    } else {
      out[name] = decodeScalar(name, field.kind, raw, fromQuery);
    }
  }
  return out as Decoded<M>;
}
