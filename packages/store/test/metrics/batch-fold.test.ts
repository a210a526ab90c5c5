import { describe, expect, it } from 'vitest';
import { foldBatch } from '../../src/metrics/batch-fold.ts';

const p = (value: number, step: number | bigint, timestamp: number | bigint, isNan: 0 | 1 = 0) => ({
  value,
  step,
  timestamp,
  isNan,
});

describe('foldBatch', () => {
  it('counts the points, bounds the real values and takes the latest by step, time, value', () => {
    expect(foldBatch([p(3, 1, 5), p(0, 0, 1, 1), p(-2, 1, 5), p(9, 0, 9)])).toEqual({
      count: 4,
      min: -2,
      max: 9,
      latest: p(3, 1, 5),
    });
  });

  it('prefers a real value over NaN stored as the same value at the same step and time, in either order', () => {
    expect(foldBatch([p(0, 2, 2, 1), p(0, 2, 2)]).latest).toEqual(p(0, 2, 2));
    expect(foldBatch([p(0, 2, 2), p(0, 2, 2, 1)]).latest).toEqual(p(0, 2, 2));
  });

  it('has no bounds when every point is NaN, and compares int64 steps exactly', () => {
    expect(foldBatch([p(0, 1, 1, 1)])).toMatchObject({ min: null, max: null, count: 1 });
    const big = 2n ** 62n;
    expect(foldBatch([p(1, big + 1n, 0), p(2, big, 5), p(3, 7, 9)]).latest.step).toBe(big + 1n);
  });
});
