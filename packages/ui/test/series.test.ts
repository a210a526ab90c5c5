import { describe, expect, it } from 'vitest';
import {
  alignSeries,
  downsampleMinMax,
  seriesFromColumns,
  snapToSharedGrid,
  xExtent,
  xValues,
} from '../src/lib/series.ts';
import { ema } from '../src/lib/smoothing.ts';

describe('chart series', () => {
  it('makes one series per run in run order, in step order, the latest value winning on a repeated step', () => {
    const series = seriesFromColumns(
      [
        { run_id: 'b', steps: [2], values: [5], timestamps: [10] },
        { run_id: 'a', steps: [0, 1, 1], values: ['NaN', 2, 1], timestamps: [5, 20, 10] },
      ],
      ['a', 'b', 'c'],
    );
    expect(series.map((s) => s.runId)).toEqual(['a', 'b', 'c']);
    expect(series[0].steps).toEqual([0, 1]);
    expect(series[0].values[0]).toBeNaN();
    expect(series[0].values[1]).toBe(2);
    expect(series[2].steps).toEqual([]);
    expect(xExtent(series)).toEqual([0, 2]);
  });

  it('gives x as steps, seconds since the first point, or wall-clock seconds', () => {
    const [s] = seriesFromColumns([{ run_id: 'a', steps: [0, 5], values: [1, 1], timestamps: [1_000, 4_000] }]);
    expect(xValues(s, 'step')).toEqual([0, 5]);
    expect(xValues(s, 'relative')).toEqual([0, 3]);
    expect(xValues(s, 'wall')).toEqual([1, 4]);
  });

  it('aligns series on the union of their x values, with nulls for gaps and NaN', () => {
    expect(
      alignSeries([
        { xs: [0, 2, 4], ys: [1, 2, Number.NaN] },
        { xs: [1, 2], ys: [7, 8] },
      ]),
    ).toEqual([
      [0, 1, 2, 4],
      [1, null, 2, null],
      [null, 7, 8, null],
    ]);
  });

  it('downsamples by min/max buckets, keeping spikes and order', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i);
    const ys = xs.map((x) => (x === 5_003 ? 100 : x === 7_777 ? -100 : Math.sin(x / 100)));
    const out = downsampleMinMax(xs, ys, 100);
    expect(out.xs.length).toBeLessThanOrEqual(200);
    expect(out.ys).toContain(100);
    expect(out.ys).toContain(-100);
    expect([...out.xs].sort((a, b) => a - b)).toEqual(out.xs);
    expect(out.xs[0]).toBe(0);
    expect(out.xs[out.xs.length - 1]).toBeGreaterThan(9_890);
  });

  it('leaves short series untouched', () => {
    expect(downsampleMinMax([1, 2, 3], [3, 2, 1], 10)).toEqual({ xs: [1, 2, 3], ys: [3, 2, 1] });
  });
});

describe('EMA smoothing', () => {
  it('is the identity at weight 0 (NaN shown as a gap)', () => {
    expect(ema([1, Number.NaN, 3, null], 0)).toEqual([1, null, 3, null]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of ema([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 10);
  });

  it('follows TensorBoard’s formula', () => {
    const [a, b] = ema([0, 10], 0.5) as number[];
    expect(a).toBe(0);
    // last = 0.5*0 + 0.5*10 = 5 (after 0*0.5+0.5*0=0); debias = 1 - 0.25 = 0.75
    expect(b).toBeCloseTo(5 / 0.75, 10);
  });

  it('skips gaps and non-finite values without resetting', () => {
    const out = ema([1, null, Number.NaN, Number.POSITIVE_INFINITY, 1], 0.8);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
    expect(out[3]).toBeNull();
    expect(out[4]).toBeCloseTo(1, 10);
  });
});

describe('snapToSharedGrid', () => {
  it('puts many series on one grid: the union of x stays within two slots per cell, min and max kept', () => {
    // 50 runs whose points sit on different steps (as a per-run M4 downsample leaves them).
    const series = Array.from({ length: 50 }, (_, r) => {
      const xs = Array.from({ length: 400 }, (_, i) => i * 250 + ((r * 7 + i) % 250));
      return { xs, ys: xs.map((x) => Math.sin(x / 1000 + r)) };
    });
    expect(new Set(series.flatMap((s) => s.xs)).size).toBeGreaterThan(10_000);
    const snapped = snapToSharedGrid(series, 100);
    expect(new Set(snapped.flatMap((s) => s.xs)).size).toBeLessThanOrEqual(200);
    snapped.forEach((s, r) => {
      // Every value kept is one of the run's values, and the run's extremes survive.
      const original = new Set(series[r].ys);
      for (const y of s.ys) expect(original.has(y as number)).toBe(true);
      expect(Math.max(...(s.ys as number[]))).toBe(Math.max(...series[r].ys));
      expect(Math.min(...(s.ys as number[]))).toBe(Math.min(...series[r].ys));
      expect(s.xs.every(Number.isInteger)).toBe(true);
      expect([...s.xs].sort((a, b) => a - b)).toEqual(s.xs);
    });
    const aligned = alignSeries(snapped);
    expect(aligned[0].length).toBeLessThanOrEqual(200);
  });

  it('keeps a gap (a cell of only NaN) and leaves one series, or few points, alone', () => {
    const a = { xs: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], ys: [1, 2, Number.NaN, Number.NaN, 5, 6, 7, 8, 9, 10] };
    const b = { xs: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5], ys: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
    const snapped = snapToSharedGrid([a, b], 5);
    expect(snapped[0].ys.some((y) => Number.isNaN(y as number))).toBe(true);
    expect(snapToSharedGrid([a], 2)).toEqual([a]);
    expect(snapToSharedGrid([a, b], 10)).toEqual([a, b]);
  });
});
