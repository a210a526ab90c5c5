import { describe, expect, it } from 'vitest';
import { appendToChunk, decodeChunk, encodeChunk } from '../../src/metrics/point-chunk.ts';

function roundTrip(
  points: { timestamps: (number | bigint)[]; steps: (number | bigint)[]; values: number[]; isNan: (0 | 1)[] },
  offset = 0,
) {
  const blob = encodeChunk(points);
  // Place the blob at an odd offset of a bigger buffer: decoding must not depend on alignment.
  const shifted = new Uint8Array(blob.length + offset);
  shifted.set(blob, offset);
  const c = decodeChunk(shifted.subarray(offset), points.values.length);
  return Array.from({ length: c.length }, (_, i) => [c.timestamp(i), c.step(i), c.value(i)]);
}

describe('point chunks', () => {
  it('round-trips exact numbers as numbers, NaN as NaN, at any alignment', () => {
    const points = {
      timestamps: [1, 2, 2 ** 53 - 1],
      steps: [-5, 0, 7],
      values: [0.1, 0, -Number.MAX_VALUE],
      isNan: [0, 1, 0] as (0 | 1)[],
    };
    for (const offset of [0, 3, 8])
      expect(roundTrip(points, offset)).toEqual([
        [1, -5, 0.1],
        [2, 0, Number.NaN],
        [2 ** 53 - 1, 7, -Number.MAX_VALUE],
      ]);
  });

  it('keeps int64 beyond 2^53 exactly, and narrows the exact ones to numbers', () => {
    const max = 2n ** 63n - 1n;
    const points = {
      timestamps: [3, 2n ** 62n + 1n],
      steps: [-(2n ** 63n), max],
      values: [1, 2],
      isNan: [0, 0] as (0 | 1)[],
    };
    expect(roundTrip(points, 5)).toEqual([
      [3, -(2n ** 63n), 1],
      [2n ** 62n + 1n, max, 2],
    ]);
  });

  it('appends points to a chunk, in the same format or moving both to int64', () => {
    const read = (blob: Uint8Array, n: number) => {
      const c = decodeChunk(blob, n);
      return Array.from({ length: n }, (_, i) => [c.timestamp(i), c.step(i), c.value(i)]);
    };
    const base = encodeChunk({ timestamps: [1, 2], steps: [10, 20], values: [0.5, 0], isNan: [0, 1] });
    const same = appendToChunk(base.subarray(0), 2, { timestamps: [3], steps: [30], values: [7], isNan: [0] });
    expect(read(same, 3)).toEqual([
      [1, 10, 0.5],
      [2, 20, Number.NaN],
      [3, 30, 7],
    ]);
    const wide = appendToChunk(base, 2, { timestamps: [2n ** 60n], steps: [2n ** 62n], values: [1], isNan: [0] });
    expect(wide[0]).toBe(1);
    expect(read(wide, 3)).toEqual([
      [1, 10, 0.5],
      [2, 20, Number.NaN],
      [2n ** 60n, 2n ** 62n, 1],
    ]);
  });

  it('refuses a blob whose size does not match its point count', () => {
    const blob = encodeChunk({ timestamps: [1], steps: [1], values: [1], isNan: [0] });
    expect(() => decodeChunk(blob, 2)).toThrow(/cannot hold 2 points/);
  });
});
