import { describe, expect, it } from 'vitest';
import { TroveError } from '../src/errors.ts';
import { flattenKeys, unflattenKeys } from '../src/nested-keys.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof TroveError ? e.code : 'not a TroveError';
  }
};

describe('flattenKeys', () => {
  it('writes nested objects as / paths, depth first in key order', () => {
    expect(flattenKeys({ optimizer: { name: 'adam', adam: { beta1: 0.9 } }, lr: 0.01 })).toEqual([
      ['optimizer/name', 'adam'],
      ['optimizer/adam/beta1', 0.9],
      ['lr', 0.01],
    ]);
  });

  it('keeps arrays, null and nested empty objects as leaves; an empty top level yields nothing', () => {
    expect(flattenKeys({ layers: [64, { a: 1 }], none: null, empty: {}, deep: { e: {} } })).toEqual([
      ['layers', [64, { a: 1 }]],
      ['none', null],
      ['empty', {}],
      ['deep/e', {}],
    ]);
    expect(flattenKeys({})).toEqual([]);
  });

  it('takes only an object of named values', () => {
    for (const v of [null, 1, 'x', [1], undefined])
      expect(codeOf(() => flattenKeys(v))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('refuses empty keys at any depth', () => {
    expect(() => flattenKeys({ '': 1 })).toThrow("Invalid nested key '' under '/'");
    expect(() => flattenKeys({ a: { '': 1 } })).toThrow("Invalid nested key '' under 'a'");
    expect(() => flattenKeys({ a: { '': 1 } }, { slashInKey: 'keep' })).toThrow(
      "Invalid nested key '' under 'a': keys must be non-empty.",
    );
  });

  // Where the SDK's flattenNested and the server's flatten differed before they shared this
  // implementation: the server refused a key holding '/', the SDK wrote it as given (and said
  // "Invalid empty key" for an empty one). What the native endpoint stores is the server's rule,
  // the default; the SDK's log-batch path asks for 'keep', where such a key is a flat MLflow name.
  describe("a key holding '/'", () => {
    const cases: [string, Record<string, unknown>, [string, unknown][]][] = [
      ['at the top level', { 'train/loss': 0.3 }, [['train/loss', 0.3]]],
      ['nested', { train: { 'val/acc': 0.8 } }, [['train/val/acc', 0.8]]],
      [
        'colliding with a nested path',
        { a: { b: 1 }, 'a/b': 2 },
        [
          ['a/b', 1],
          ['a/b', 2],
        ],
      ],
      [
        'with empty segments',
        { 'a//b': 1, '/c': 2 },
        [
          ['a//b', 1],
          ['/c', 2],
        ],
      ],
    ];

    it.each(cases)('%s: refused by default (what the native endpoint stores)', (_, value) => {
      expect(codeOf(() => flattenKeys(value))).toBe('INVALID_PARAMETER_VALUE');
      expect(() => flattenKeys(value)).toThrow(/may not contain '\/'\. Nest objects instead\./);
    });

    it.each(cases)('%s: written as given with slashInKey: keep (the SDK over log-batch)', (_, value, flat) => {
      expect(flattenKeys(value, { slashInKey: 'keep' })).toEqual(flat);
    });
  });
});

describe('unflattenKeys', () => {
  it('rebuilds what flattenKeys flattened', () => {
    const value = {
      optimizer: { name: 'adam', adam: { beta1: 0.9, betas: [0.9, 0.99] } },
      lr: 0.01,
      none: null,
      empty: {},
    };
    expect(unflattenKeys(flattenKeys(value))).toEqual(value);
  });

  it('keeps a leaf that is also a prefix under "" when the longer key comes first', () => {
    expect(
      unflattenKeys([
        ['a/b', 2],
        ['a', 1],
      ]),
    ).toEqual({ a: { '': 1, b: 2 } });
  });

  it("reads a key written with '/' kept (log-batch) as nested: why the native endpoint refuses one", () => {
    const sent = { a: { b: 1 }, 'a/c': 2 };
    expect(unflattenKeys(flattenKeys(sent, { slashInKey: 'keep' }))).toEqual({ a: { b: 1, c: 2 } });
  });
});
