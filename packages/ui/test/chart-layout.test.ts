import { describe, expect, it } from 'vitest';
import {
  type ChartLayout,
  chartLayoutField,
  chartTitle,
  EMPTY_LAYOUT,
  parseChartLayout,
  splitSystemMetrics,
} from '../src/charts/chart-layout.ts';
import { againstBaseline, commonPaths, compareRows } from '../src/features/compare/compare-rows.ts';
import { decodeState, encodeState } from '../src/lib/url-state.ts';

describe('chart layout', () => {
  const layout: ChartLayout = {
    version: 1,
    maxRuns: 50,
    collapsed: ['system'],
    charts: [
      { type: 'line', metric: 'loss', x: 'relative', smoothing: 0.6, logY: true, logX: true, clip: true },
      { type: 'scatter', x: 'params.lr', y: 'metrics.loss' },
      { type: 'parallel', axes: ['params.lr', 'metrics.loss'], brushes: { 'metrics.loss': [0, 0.5] } },
      { type: 'contour', x: 'params.lr', y: 'params.batch_size', z: 'metrics.loss' },
      { type: 'box', group: 'params.optimizer', field: 'metrics.loss' },
      { type: 'bar', field: 'metrics.accuracy' },
      { type: 'line', metric: 'loss', x: 'metric:epoch', smoothing: 0, logY: false, logX: false, clip: false },
    ],
  };

  it('survives JSON and the URL unchanged', () => {
    expect(parseChartLayout(JSON.parse(JSON.stringify(layout)))).toEqual(layout);
    const spec = { charts: chartLayoutField() };
    const qs = encodeState(spec, { charts: layout });
    expect(decodeState(spec, qs).charts).toEqual(layout);
    // No layout in the URL: null (the page derives one). An emptied layout is kept, so the defaults stay away.
    expect(encodeState(spec, { charts: null })).toBe('');
    expect(decodeState(spec, '').charts).toBeNull();
    expect(decodeState(spec, encodeState(spec, { charts: EMPTY_LAYOUT })).charts).toEqual(EMPTY_LAYOUT);
    expect(decodeState(spec, 'charts=%7Bnot json').charts).toBeNull();
  });

  it('drops charts it cannot draw and defaults bad settings instead of failing', () => {
    const parsed = parseChartLayout({
      maxRuns: 10_000,
      charts: [
        { type: 'pie', field: 'x' },
        { type: 'scatter', x: 'params.a' },
        { type: 'parallel', axes: ['a'] },
        { type: 'parallel', axes: ['a', 'b', 3], brushes: { a: [0.5, 0.2], b: [0.1, 0.2], c: 'x' } },
        { type: 'line', metric: 'loss', x: 'epoch', smoothing: 5 },
        { type: 'line', metric: 'acc', x: 'metric:' },
        { type: 'line', metric: 'acc', x: { metric: 'epoch' } },
        { type: 'line', metric: 'acc', x: 'metric:epoch', smoothing: 0.5 },
        null,
      ],
    });
    const line = { logY: false, logX: false, clip: false };
    expect(parsed).toEqual({
      version: 1,
      maxRuns: 100,
      collapsed: [],
      charts: [
        { type: 'parallel', axes: ['a', 'b'], brushes: { b: [0.1, 0.2] } },
        { type: 'line', metric: 'loss', x: 'step', smoothing: 0, ...line },
        { type: 'line', metric: 'acc', x: 'step', smoothing: 0, ...line },
        { type: 'line', metric: 'acc', x: 'step', smoothing: 0, ...line },
        { type: 'line', metric: 'acc', x: 'metric:epoch', smoothing: 0.5, ...line },
      ],
    });
    expect(parseChartLayout('nope')).toEqual(EMPTY_LAYOUT);
  });

  it('titles charts and splits system metrics off', () => {
    expect(layout.charts.map(chartTitle)).toEqual([
      'loss',
      'loss vs lr',
      'Parallel coordinates (2 axes)',
      'loss over lr × batch_size',
      'loss by optimizer',
      'accuracy',
      'loss',
    ]);
    expect(splitSystemMetrics(['loss', 'system/gpu_0_utilization_percentage', 'val/system/x'])).toEqual({
      system: ['system/gpu_0_utilization_percentage'],
      other: ['loss', 'val/system/x'],
    });
  });
});

describe('compare against a baseline', () => {
  it('marks cells that differ from the baseline run and gives numeric deltas', () => {
    const [lr, opt] = compareRows([
      new Map([
        ['lr', '0.01'],
        ['opt', 'adam'],
      ]),
      new Map([['lr', '0.03']]),
      new Map([
        ['lr', '0.01'],
        ['opt', 'sgd'],
      ]),
    ]);
    expect(againstBaseline(lr, 0)).toEqual([
      { changed: false, delta: null },
      { changed: true, delta: expect.closeTo(0.02) },
      { changed: false, delta: null },
    ]);
    expect(againstBaseline(lr, 1).map((c) => c.changed)).toEqual([true, false, true]);
    expect(againstBaseline(opt, 0)).toEqual([
      { changed: false, delta: null },
      { changed: true, delta: null },
      { changed: true, delta: null },
    ]);
  });

  it('finds artifact paths every run has', () => {
    expect(
      commonPaths([
        ['a.png', 'b.txt', 'plots/c.png'],
        ['plots/c.png', 'a.png'],
        ['a.png', 'plots/c.png', 'z'],
      ]),
    ).toEqual(['a.png', 'plots/c.png']);
    expect(commonPaths([['a'], []])).toEqual([]);
    expect(commonPaths([])).toEqual([]);
  });
});
