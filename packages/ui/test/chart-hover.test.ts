import { describe, expect, it } from 'vitest';
import { chartCsv } from '../src/lib/chart-csv.ts';
import { HoverRanker, nearestIndex } from '../src/lib/chart-hover.ts';
import { clippedRange } from '../src/lib/outliers.ts';

describe('hover ranking', () => {
  it('finds the nearest x by binary search', () => {
    const xs = [0, 10, 20, 30];
    expect([-5, 0, 4, 5, 6, 29, 100].map((x) => nearestIndex(xs, x))).toEqual([0, 0, 0, 0, 1, 3, 3]);
    expect(nearestIndex([], 3)).toBe(-1);
  });

  it('lists the runs with a value at x, nearest the pointer first kept, sorted by value; the nearest is marked', () => {
    const series = [
      { runId: 'a', label: 'a', color: '#000', xs: [0, 10, 20], ys: [1, 2, 3] },
      { runId: 'b', label: 'b', color: '#000', xs: [0, 10, 20], ys: [5, 6, 7] },
      { runId: 'c', label: 'c', color: '#000', xs: [0, 10], ys: [9, null] },
      { runId: 'd', label: 'd', color: '#000', xs: [100, 200], ys: [0, 0] },
      { runId: 'e', label: 'e', color: '#000', xs: [0, 10, 20], ys: [4, 4.5, 5] },
    ];
    const ranker = new HoverRanker(series);
    // y pixel = -value * 10: pointer at value 4.4 (pixel -44).
    ranker.rank(11, 1, -44, (v) => -v * 10, 10);
    expect(ranker.matched).toBe(3); // c has a gap there, d starts later
    expect(Array.from(ranker.order.subarray(0, ranker.count), (s) => series[s].runId)).toEqual(['b', 'e', 'a']);
    expect(series[ranker.nearest].runId).toBe('e');
    expect(ranker.values[1]).toBe(6);
    ranker.rank(11, 1, -44, (v) => -v * 10, 2);
    expect(Array.from(ranker.order.subarray(0, ranker.count), (s) => series[s].runId)).toEqual(['b', 'e']);
  });
});

describe('ignore outliers', () => {
  it('fits the y range to the middle of the values, so a spike does not flatten the rest', () => {
    const values = Array.from({ length: 100 }, (_, i) => i / 100);
    values[50] = 1e6;
    const [lo, hi] = clippedRange([values, [null, Number.NaN]]) ?? [0, 0];
    expect(lo).toBeLessThan(0.03);
    expect(hi).toBeGreaterThan(0.95);
    expect(hi).toBeLessThan(1.1);
    expect(clippedRange([[null]])).toBeNull();
    expect(clippedRange([[2, 2]])).toEqual([1.9, 2.1]);
    // Log axis: positive values only, padded by a factor, never reaching 0.
    const [logLo] = clippedRange([[-5, 0, 0.001, 0.01, 0.1, 1]], 0, 1, true) ?? [0];
    expect(logLo).toBeCloseTo(0.001 / 1.1);
  });
});

describe('chart CSV', () => {
  it('has one row per run and point, quoting names', () => {
    expect(
      chartCsv('val/loss', 'Step', [
        { runId: 'r1', run: 'a, "b"', xs: [0, 10], ys: [1, null], smoothed: [1, 1.5] },
        { runId: 'r2', run: 'c', xs: [0], ys: [2] },
      ]),
    ).toBe('run_id,run,Step,val/loss,val/loss (smoothed)\nr1,"a, ""b""",0,1,1\nr1,"a, ""b""",10,,1.5\nr2,c,0,2,\n');
  });
});
