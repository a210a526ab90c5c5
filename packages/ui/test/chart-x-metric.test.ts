import { describe, expect, it } from 'vitest';
import { alignSeries, type Series } from '../src/lib/series.ts';
import { metricXMode, pairByStep, parseXMode, xMetricKey, xModeLabel } from '../src/lib/x-metric.ts';

const series = (steps: number[], values: number[]): Series => ({
  runId: 'r',
  steps,
  values,
  timestamps: steps.map((s) => s * 1000),
});

describe('another metric on the x axis', () => {
  it('pairs each point with the x metric at the same step', () => {
    const loss = series([0, 1, 2, 3], [4, 3, 2, 1]);
    const epoch = series([0, 1, 2, 3], [0, 0, 1, 1]);
    expect(pairByStep(loss, epoch)).toEqual({ xs: [0, 0, 1, 1], ys: [4, 3, 2, 1], steps: [0, 1, 2, 3], unpaired: 0 });
  });

  it('else at the nearest earlier step (downsampled to different steps), never before the first or past the last x step', () => {
    const loss = series([0, 5, 10, 15, 20, 25, 30], [7, 6, 5, 4, 3, 2, 1]);
    const epoch = series([5, 12, 20], [1, 2, 3]);
    // Step 0 precedes the first epoch; steps 25 and 30 follow the last: not paired.
    expect(pairByStep(loss, epoch)).toEqual({
      xs: [1, 1, 2, 3],
      ys: [6, 5, 4, 3],
      steps: [5, 10, 15, 20],
      unpaired: 3,
    });
  });

  it('draws in ascending x, equal x in step order, and leaves out points whose x value is NaN', () => {
    const acc = series([0, 1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4, 0.5]);
    const lr = series([0, 1, 2, 3, 4], [0.3, 0.1, Number.NaN, 0.1, 0.2]);
    const paired = pairByStep(acc, lr);
    expect(paired.xs).toEqual([0.1, 0.1, 0.2, 0.3]);
    expect(paired.steps).toEqual([1, 3, 4, 0]);
    expect(paired.ys).toEqual([0.2, 0.4, 0.5, 0.1]);
    expect(paired.unpaired).toBe(1);
  });

  it('pairs nothing from an empty x series, and keeps NaN y values for the gap', () => {
    expect(pairByStep(series([0, 1], [1, 2]), series([], []))).toEqual({ xs: [], ys: [], steps: [], unpaired: 2 });
    const paired = pairByStep(series([0, 1], [Number.NaN, 2]), series([0, 1], [9, 10]));
    expect(paired.xs).toEqual([9, 10]);
    expect(paired.ys[0]).toBeNaN();
  });

  it('keeps every point of a repeated x when aligning runs for uPlot', () => {
    expect(
      alignSeries([
        { xs: [0, 0, 0, 1], ys: [5, 4, 3, 2] },
        { xs: [0, 1, 1], ys: [9, 8, 7] },
      ]),
    ).toEqual([
      [0, 0, 0, 1, 1],
      [5, 4, 3, 2, null],
      [9, null, null, 8, 7],
    ]);
  });

  it('names the x mode, reads it from untrusted input and labels the axis', () => {
    expect(metricXMode('epoch')).toBe('metric:epoch');
    expect(xMetricKey('metric:val/acc: top-1')).toBe('val/acc: top-1');
    expect(xMetricKey('step')).toBeNull();
    expect(parseXMode('metric:epoch')).toBe('metric:epoch');
    expect(parseXMode('wall')).toBe('wall');
    for (const bad of ['metric:', 'epoch', '', undefined, 3, { metric: 'epoch' }]) expect(parseXMode(bad)).toBe('step');
    expect(['step', 'relative', 'wall', 'metric:epoch'].map((m) => xModeLabel(parseXMode(m)))).toEqual([
      'step',
      'seconds since start',
      'time',
      'epoch',
    ]);
  });
});
