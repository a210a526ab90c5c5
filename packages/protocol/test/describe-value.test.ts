import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/describe-value.ts';
import { decodeBody, i64, objList, str } from '../src/message.ts';
import { readKeyValues } from '../src/validation.ts';

describe('describeValue', () => {
  it.each<[unknown, string]>([
    ['abc', '"abc"'],
    [12, '12'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [2n ** 64n, '18446744073709551616'],
    [null, 'null'],
    [true, 'true'],
    [[1, 'a', 9223372036854775808n], '[1, "a", 9223372036854775808]'],
    [{ a: { b: 1 } }, '{"a": {"b": 1}}'],
    [{ toString: 1, valueOf: {} }, '{"toString": 1, "valueOf": {}}'],
  ])('shows %s as %s', (v, text) => {
    expect(describeValue(v)).toBe(text);
  });

  it('cuts huge strings, long arrays and deep nesting', () => {
    expect(describeValue('x'.repeat(100_000))).toBe(`"${'x'.repeat(200)}"… (100000 characters)`);
    expect(describeValue(`${'y'.repeat(199)}🙂`)).toBe(`"${'y'.repeat(199)}"… (201 characters)`);
    expect(describeValue(Array.from({ length: 10_000 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, …]');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(deep)).toBe('[[[[…]]]]');
    expect(describeValue({ k: 'y'.repeat(10_000), j: 2 }).length).toBeLessThanOrEqual(230);
  });

  it('describes objects with a null prototype or a __proto__ own key', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(describeValue(bare)).toBe('{"a": 1}');
    expect(describeValue(JSON.parse('{"__proto__":{"x":1}}'))).toBe('{"__proto__": {"x": 1}}');
  });

  it('never throws and stays short, for any JSON value with BigInt in it', () => {
    const value = fc.anything({
      withBigInt: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withSparseArray: true,
      maxDepth: 6,
    });
    fc.assert(
      fc.property(value, (v) => {
        expect(describeValue(v).length).toBeLessThanOrEqual(230);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('the decoder words refused values as MLflow does', () => {
  it('quotes strings as JSON and numbers as the client wrote them', () => {
    const spec = { artifact_location: str(), step: i64(), tags: objList() };
    expect(() => decodeBody(spec, { step: 'foo' })).toThrow(`Invalid value "foo" for parameter 'step' supplied.`);
    expect(() => decodeBody(spec, { tags: '5' })).toThrow(`Invalid value "5" for parameter 'tags' supplied.`);
    const text = '{"artifact_location": 9.0, "step": 1}';
    expect(() => decodeBody(spec, JSON.parse(text), text)).toThrow(
      `Invalid value 9.0 for parameter 'artifact_location' supplied.`,
    );
    expect(() => decodeBody(spec, JSON.parse(text))).toThrow(
      `Invalid value 9 for parameter 'artifact_location' supplied.`,
    );
    const exp = '{"tags": [], "artifact_location": 1.50e3}';
    expect(() => decodeBody(spec, JSON.parse(exp), exp)).toThrow(
      `Invalid value 1.50e3 for parameter 'artifact_location' supplied.`,
    );
  });
});

describe('error messages quote any request value without throwing', () => {
  it('decoder: a BigInt or an object in a field of the wrong type is a 400', () => {
    const spec = { name: str(), step: i64() };
    for (const body of [
      { name: 2n ** 64n },
      { step: 2n ** 64n },
      { name: { toString: 1 } },
      { step: [[-(2n ** 70n)]] },
      { name: Number.NaN },
    ]) {
      expect(() => decodeBody(spec, body)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    }
  });

  it('readKeyValues: a BigInt value is a 400', () => {
    expect(() => readKeyValues([{ key: 'k', value: 2n ** 64n }], 'tags')).toThrow(
      /Invalid value 18446744073709551616 for parameter 'tags\[0\].value'/,
    );
  });
});
