import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson, stringifyJson } from '../src/json.ts';

describe('int64-safe JSON', () => {
  it.each([
    ['{"v":0.8234567891234567}', { v: 0.8234567891234567 }],
    ['{"v":1.2345678901234567e5}', { v: 123456.78901234567 }],
    ['{"s":9007199254740991}', { s: 9007199254740991 }],
    ['{"s":9223372036854775807}', { s: 9223372036854775807n }],
    ['{"s":-9007199254740993}', { s: -9007199254740993n }],
    ['{"a":[12345678901234567,1,"x\\"y"]}', { a: [12345678901234567n, 1, 'x"y'] }],
    ['{"t":"12345678901234567890"}', { t: '12345678901234567890' }],
    // Beyond 2^53 but written with an exponent: a double, as JSON.parse reads it.
    ['{"v":1e20,"w":-2.5E17}', { v: 1e20, w: -2.5e17 }],
    ['{"m":[{"k":"a","s":{"deep":[9007199254740993]}}]}', { m: [{ k: 'a', s: { deep: [9007199254740993n] } }] }],
  ])('parses %s', (text, expected) => {
    expect(parseJson(text)).toEqual(expected);
  });

  it('rejects malformed documents on both paths', () => {
    for (const text of ['{"a":1', '{"a":12345678901234567', '[1,]', '{"a":12345678901234567,}'])
      expect(() => parseJson(text)).toThrow(SyntaxError);
  });

  it.each([
    // Python's json.dumps writes non-finite floats as bare tokens; MLflow's server (json.loads) reads them.
    ['{"value":NaN}', { value: Number.NaN }],
    ['{"m":[Infinity,-Infinity, NaN]}', { m: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN] }],
    [
      '{"metrics":[{"key":"l","value":NaN,"timestamp":1,"step":9223372036854775807}]}',
      { metrics: [{ key: 'l', value: Number.NaN, timestamp: 1, step: 9223372036854775807n }] },
    ],
    ['{ "v" : -Infinity , "s" : "NaN Infinity" }', { v: Number.NEGATIVE_INFINITY, s: 'NaN Infinity' }],
    ['NaN', Number.NaN],
  ])('reads the bare NaN/Infinity tokens in %s', (text, expected) => {
    expect(parseJson(text)).toEqual(expected);
  });

  it('accepts only the three tokens Python writes, spelt exactly', () => {
    for (const text of [
      '{"v":nan}',
      '{"v":+Infinity}',
      '{"v":-NaN}',
      '{"v":inf}',
      '{"v":Infinit}',
      '{"v":NaNa}',
      '{"v":NaN,}',
      '{"v":[NaN}',
    ]) {
      expect(() => parseJson(text), text).toThrow(SyntaxError);
    }
  });

  it('keeps the native message for broken JSON that holds a token', () => {
    expect(() => parseJson('{"v":NaN')).toThrow(SyntaxError);
    expect(() => parseJson('{"v": nope, "w": NaN}')).toThrow(/nope|Unexpected token/);
  });

  it('reads numbers of any length on the slow path', () => {
    const long = '9'.repeat(500);
    expect(parseJson(`[${long},12345678901234567890]`)).toEqual([BigInt(long), 12345678901234567890n]);
  });

  it('caps nesting at MAX_JSON_DEPTH on both paths, with a SyntaxError', () => {
    const nest = (d: number, inner: string) => '['.repeat(d) + inner + ']'.repeat(d);
    expect(() => parseJson(nest(MAX_JSON_DEPTH, '1'))).not.toThrow();
    for (const inner of ['1', '12345678901234567890', 'NaN']) {
      expect(() => parseJson(nest(MAX_JSON_DEPTH + 1, inner))).toThrow(/nested more than/);
      expect(() => parseJson(nest(100_000, inner))).toThrow(SyntaxError);
    }
    expect(() => parseJson(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)).toThrow(SyntaxError);
  });

  it('makes "__proto__" an own key on the slow path, as JSON.parse does', () => {
    const v = parseJson('{"__proto__":{"polluted":1},"n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
    expect((v as { polluted?: number }).polluted).toBeUndefined();
  });

  it('writes BigInt as bare digits and leaves other values alone', () => {
    expect(stringifyJson({ step: 9223372036854775807n, v: 1.5, s: 'big:1' })).toBe(
      '{"step":9223372036854775807,"v":1.5,"s":"big:1"}',
    );
    expect(stringifyJson({ v: 1 })).toBe('{"v":1}');
  });
});
