import { describe, expect, it } from 'vitest';
import {
  type ChartPoint,
  compareChartOrder,
  Downsampler,
  firstMinMaxLast,
  M4Buckets,
  stepBuckets,
} from '../../src/metrics/m4-downsample.ts';

const pt = (step: number | bigint, value: number, timestamp: number | bigint = Number(step) * 10): ChartPoint => ({
  step,
  timestamp,
  value,
});
const steps = (points: ChartPoint[]) => points.map((p) => p.step);
const values = (points: ChartPoint[]) => points.map((p) => p.value);

/** A deterministic shuffle (the M4 accumulator must not depend on the order points arrive in). */
function shuffled<T>(list: T[]): T[] {
  const out = [...list];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 16807) % 2147483647;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('compareChartOrder', () => {
  it('orders by step, then timestamp, then numbers before NaN, then value; int64 may mix numbers and BigInt', () => {
    const sorted = [pt(1, 5, 9), pt(2, 3, 1), pt(2, 1, 2), pt(2, 2, 2), pt(2, Number.NaN, 2), pt(2n ** 60n, 0, 0)];
    expect(shuffled(sorted).sort(compareChartOrder)).toEqual(sorted);
    expect(compareChartOrder(pt(3, Number.NaN), pt(3, Number.NaN))).toBe(0);
  });
});

describe('stepBuckets', () => {
  it('cuts [lo, hi] into equal spans and clamps steps outside it', () => {
    const bucketOf = stepBuckets(0n, 99n, 4);
    expect([0, 24, 25, 49, 50, 74, 75, 99].map((s) => bucketOf(s))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(500)).toBe(3);
    expect(stepBuckets(7n, 7n, 10)(7)).toBe(0);
  });

  it('stays exact for int64 steps beyond 2^53', () => {
    const lo = 2n ** 62n;
    const bucketOf = stepBuckets(lo, lo + 999n, 10);
    expect(bucketOf(lo)).toBe(0);
    expect(bucketOf(lo + 99n)).toBe(0);
    expect(bucketOf(lo + 100n)).toBe(1);
    expect(bucketOf(lo + 999n)).toBe(9);
  });
});

describe('M4Buckets', () => {
  it('keeps each bucket’s first, min, max and last, each once, in chart order, whatever order points arrive in', () => {
    const bucket0 = [pt(0, 5), pt(1, 9), pt(2, 1), pt(3, 4)];
    const bucket1 = [pt(4, 2), pt(5, 2), pt(6, 7)];
    const m4 = new M4Buckets();
    for (const p of shuffled([...bucket0, ...bucket1])) m4.add(p, Number(p.step) < 4 ? 0 : 1);
    expect(steps(m4.points())).toEqual([0, 1, 2, 3, 4, 6]);
  });

  it('drops what is neither an end nor an extreme; ties keep the earliest point', () => {
    expect(steps(firstMinMaxLast([pt(0, 3), pt(1, 1), pt(2, 1), pt(3, 8), pt(4, 8), pt(5, 5), pt(6, 4)]))).toEqual([
      0, 1, 3, 6,
    ]);
    expect(steps(firstMinMaxLast([pt(0, 1)]))).toEqual([0]);
    expect(firstMinMaxLast([])).toEqual([]);
  });

  it('ignores NaN for min and max, but a bucket of only NaN keeps its first and last point', () => {
    const mixed = firstMinMaxLast([
      pt(0, Number.NaN),
      pt(1, 4),
      pt(2, Number.NaN),
      pt(3, 2),
      pt(4, 3),
      pt(5, Number.NaN),
    ]);
    expect(steps(mixed)).toEqual([0, 1, 3, 5]);
    expect(values(mixed)).toEqual([Number.NaN, 4, 2, Number.NaN]);
    expect(steps(firstMinMaxLast([pt(0, Number.NaN), pt(1, Number.NaN), pt(2, Number.NaN)]))).toEqual([0, 2]);
  });

  it('keeps ±DBL_MAX (MLflow’s stored ±Infinity) as extremes', () => {
    expect(values(firstMinMaxLast([pt(0, 1), pt(1, -Number.MAX_VALUE), pt(2, Number.MAX_VALUE), pt(3, 2)]))).toEqual([
      1,
      -Number.MAX_VALUE,
      Number.MAX_VALUE,
      2,
    ]);
  });
});

describe('Downsampler', () => {
  it('returns every point, in chart order, while there are at most `max`', () => {
    const all = Array.from({ length: 40 }, (_, i) => pt(i, Math.sin(i)));
    const d = new Downsampler(0n, 39n, 40);
    for (const p of shuffled(all)) d.add(p);
    expect(d.points()).toEqual(all);
  });

  it('past `max`, keeps at most `max` points: both ends, every spike and dip, M4 per step bucket', () => {
    const all = Array.from({ length: 10_000 }, (_, i) =>
      pt(i, i === 4321 ? 100 : i === 8765 ? -100 : Math.sin(i / 50)),
    );
    const d = new Downsampler(0n, 9999n, 100);
    for (const p of all) d.add(p);
    const out = d.points();
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.length).toBeGreaterThan(50);
    expect(steps(out)).toEqual([...steps(out)].sort((a, b) => Number(a) - Number(b)));
    expect(out[0]).toBe(all[0]);
    expect(out[out.length - 1]).toBe(all[9999]);
    expect(out).toContain(all[4321]);
    expect(out).toContain(all[8765]);
    // 25 buckets of 400 steps: the points of bucket 3 are its first, min, max and last.
    const bucket3 = all.slice(1200, 1600);
    expect(out.filter((p) => Number(p.step) >= 1200 && Number(p.step) < 1600)).toEqual(firstMinMaxLast(bucket3));
  });
});
