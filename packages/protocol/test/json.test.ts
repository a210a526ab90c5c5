import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from '../src/json.ts';

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
    for (const text of ['{"a":1', '{"a":12345678901234567', '[1,]', '{"a":12345678901234567,}']) expect(() => parseJson(text)).toThrow(SyntaxError);
  });

  it('writes BigInt as bare digits and leaves other values alone', () => {
    expect(stringifyJson({ step: 9223372036854775807n, v: 1.5, s: 'big:1' })).toBe('{"step":9223372036854775807,"v":1.5,"s":"big:1"}');
    expect(stringifyJson({ v: 1 })).toBe('{"v":1}');
  });
});
