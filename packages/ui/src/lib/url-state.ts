/**
 * Every view keeps its state in the URL's query string, so a link reproduces what its sender saw.
 * A page declares its fields once; `decode` reads them (falling back to defaults) and `encode`
 * writes only what differs from the defaults, in declaration order, so URLs stay short and stable.
 */

export interface Field<T> {
  readonly initial: T;
  decode(values: string[]): T;
  encode(value: T): string[];
}

/** A single string (`?q=loss`). */
export function str(initial = ''): Field<string> {
  return { initial, decode: (v) => v[0] ?? initial, encode: (v) => [v] };
}

/** A finite number; anything unparsable decodes to the default. */
export function num(initial: number): Field<number> {
  return {
    initial,
    decode: (v) => {
      const n = v[0] === undefined || v[0] === '' ? Number.NaN : Number(v[0]);
      return Number.isFinite(n) ? n : initial;
    },
    encode: (v) => [String(v)],
  };
}

/** An optional number (`null` when absent), e.g. a zoom bound. */
export function optNum(): Field<number | null> {
  return {
    initial: null,
    decode: (v) => {
      const n = v[0] === undefined || v[0] === '' ? Number.NaN : Number(v[0]);
      return Number.isFinite(n) ? n : null;
    },
    encode: (v) => (v === null ? [] : [String(v)]),
  };
}

/** `1` or absent. */
export function flag(): Field<boolean> {
  return { initial: false, decode: (v) => v[0] === '1' || v[0] === 'true', encode: (v) => (v ? ['1'] : []) };
}

/** One of a closed set of strings. */
export function oneOf<const T extends string>(values: readonly T[], initial: T): Field<T> {
  return { initial, decode: (v) => (values.includes(v[0] as T) ? (v[0] as T) : initial), encode: (v) => [v] };
}

/** A list as repeated parameters (`?col=a&col=b`): keys may hold commas. `null` means "not chosen" (use the page's default). */
export function list(): Field<string[] | null> {
  return {
    initial: null,
    decode: (v) => (v.length === 0 ? null : v[0] === '' && v.length === 1 ? [] : v),
    encode: (v) => (v === null ? [] : v.length === 0 ? [''] : v),
  };
}

export interface SortKey {
  id: string;
  desc: boolean;
}

/** Sort keys as repeated `sort=<id>:asc|desc`. */
export function sortList(initial: SortKey[] = []): Field<SortKey[]> {
  return {
    initial,
    decode: (v) => {
      if (v.length === 0) return initial;
      return v
        .filter((s) => s !== '')
        .map((s) => {
          const m = /^(.*):(asc|desc)$/.exec(s);
          return m ? { id: m[1], desc: m[2] === 'desc' } : { id: s, desc: false };
        });
    },
    encode: (v) => v.map((s) => `${s.id}:${s.desc ? 'desc' : 'asc'}`),
  };
}

export type Spec = Record<string, Field<any>>;
export type StateOf<S extends Spec> = { [K in keyof S]: S[K]['initial'] };

export function decodeState<S extends Spec>(spec: S, search: string | URLSearchParams): StateOf<S> {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) out[name] = field.decode(params.getAll(name));
  return out as StateOf<S>;
}

/** The query string (without `?`) for `state`; fields equal to their defaults are left out. */
export function encodeState<S extends Spec>(spec: S, state: Partial<StateOf<S>>): string {
  const params = new URLSearchParams();
  for (const [name, field] of Object.entries(spec)) {
    if (!(name in state)) continue;
    const value = state[name];
    if (value === undefined || sameValue(value, field.initial)) continue;
    for (const item of field.encode(value)) params.append(name, item);
  }
  return params.toString();
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
