import { describe, expect, it } from 'vitest';
import type { Run } from '../src/api/types.ts';
import { defaultFields } from '../src/charts/chart-defaults.ts';
import { parseChartSpec } from '../src/charts/chart-layout.ts';
import { chartFields, toChartRuns } from '../src/charts/chart-runs.ts';
import { colorFieldOptions, numericFields } from '../src/charts/field-kinds.ts';
import {
  chosenMetricColumns,
  defaultMetricColumns,
  latestMetric,
  metricKeysOf,
  nextSort,
} from '../src/features/experiments/metric-columns.ts';
import { hasSeedName, isNumericField, isSeedLike, isSystemField } from '../src/lib/axis-choice.ts';
import { tickLabelChars, titleLayout, truncate } from '../src/lib/axis-labels.ts';
import { canLog, formatScales, parseScales, scaledAxis, spansDecades, withScale } from '../src/lib/axis-scale.ts';
import { axisTicks, buildAxis } from '../src/lib/chart-axes.ts';
import { RUN_COLORS, resolveColorBy } from '../src/lib/color-by.ts';
import { rampColor, rampGradient } from '../src/lib/color-scale.ts';

const lrs = ['1e-05', '0.0001', '0.001', '0.01', '0.1'];

describe('log axes for values spanning decades', () => {
  it('detects positive numeric fields whose max/min is at least 100', () => {
    expect(spansDecades(lrs)).toBe(true);
    expect(spansDecades([1, 99])).toBe(false);
    expect(spansDecades([1, 100])).toBe(true);
    expect(spansDecades([0, 1, 1000])).toBe(false); // zero cannot sit on a log axis
    expect(spansDecades(['adam', 'sgd'])).toBe(false);
    expect(spansDecades([undefined, ''])).toBe(false);
  });

  it('scales an axis automatically unless the user chose, and keeps only choices that differ from automatic', () => {
    expect(scaledAxis('params.lr', lrs)).toMatchObject({ kind: 'numeric', log: true });
    expect(scaledAxis('params.lr', lrs, { 'params.lr': 'linear' })).toMatchObject({ log: false });
    expect(scaledAxis('params.dropout', [0.1, 0.3], { 'params.dropout': 'log' })).toMatchObject({ log: true });
    expect(scaledAxis('params.dropout', [0, 0.3], { 'params.dropout': 'log' })).toMatchObject({ log: false });
    expect(canLog(buildAxis('x', [0, 1]))).toBe(false);
    expect(canLog(buildAxis('x', ['a']))).toBe(false);
    expect(canLog(buildAxis('x', [0.5, 1]))).toBe(true);
    const off = withScale({}, 'params.lr', 'linear', 'log');
    expect(off).toEqual({ 'params.lr': 'linear' });
    expect(withScale(off, 'params.lr', 'log', 'log')).toEqual({});
    expect(parseScales(formatScales({ 'params.a~b': 'log', 'metrics.x': 'linear' }))).toEqual({
      'params.a~b': 'log',
      'metrics.x': 'linear',
    });
    expect(parseScales(['bogus', 'exp~x', null as unknown as string].filter(Boolean))).toEqual({});
  });

  it('labels log axes by decade and thins decades when there are many', () => {
    const lr = scaledAxis('params.lr', lrs);
    expect(axisTicks(lr, 5).map((t) => t.label)).toEqual(['1.0e-5', '0.0001', '0.001', '0.01', '0.1']);
    const wide = buildAxis('x', [1e-20, 1e10], { log: true });
    const ticks = axisTicks(wide, 5);
    expect(ticks.length).toBeLessThanOrEqual(11);
    expect(ticks.length).toBeGreaterThan(3);
  });
});

describe('default axes', () => {
  it('tells seed-like params by name or by unique integer values', () => {
    for (const f of ['params.seed', 'params.random_state', 'params.train/seed', 'params.data_seed', 'params.rng'])
      expect(hasSeedName(f), f).toBe(true);
    for (const f of ['params.lr', 'params.seeds_dir', 'params.seeding']) expect(hasSeedName(f), f).toBe(false);
    const unique = Array.from({ length: 12 }, (_, i) => String(1000 + i * 7));
    expect(isSeedLike('params.init', unique)).toBe(true);
    // Too few runs to tell, not integers, repeated values, or a metric: not seed-like.
    expect(isSeedLike('params.batch_size', ['32', '64', '128'])).toBe(false);
    expect(isSeedLike('params.x', [...unique.slice(0, 11), '1000.5'])).toBe(false);
    expect(isSeedLike('params.x', [...unique.slice(0, 11), unique[0]])).toBe(false);
    expect(isSeedLike('metrics.steps', unique)).toBe(false);
    expect(isSystemField('metrics.system/gpu_0_utilization_percentage')).toBe(true);
    expect(isSystemField('metrics.loss')).toBe(false);
    expect(isNumericField(['1', 2, undefined])).toBe(true);
    expect(isNumericField(['1', 'adam'])).toBe(false);
    expect(isNumericField([])).toBe(false);
  });

  const run = (i: number): Run => ({
    info: { run_id: `r${i}`, run_name: `run-${i}`, experiment_id: '1', status: 'FINISHED' },
    data: {
      params: [
        { key: 'lr', value: lrs[i % 5] },
        { key: 'optimizer', value: i % 2 ? 'adam' : 'sgd' },
        { key: 'seed', value: String(i) },
        { key: 'init', value: String(100 + i) },
        { key: 'batch_size', value: String([32, 64][i % 2]) },
      ],
      metrics: [
        { key: 'loss', value: 1 / (i + 1), timestamp: 0, step: 0 },
        { key: 'system/cpu_utilization_percentage', value: 50, timestamp: 0, step: 0 },
      ],
      tags: [],
    },
  });
  const runs = toChartRuns(Array.from({ length: 12 }, (_, i) => run(i)));
  const fields = chartFields(runs);

  it('leave seed-like params and system metrics out of parallel coordinates, and rank numeric params for contours', () => {
    const d = defaultFields(runs, fields);
    expect(d.parallel).toEqual(['params.batch_size', 'params.lr', 'params.optimizer', 'metrics.loss']);
    expect(d.metric).toBe('metrics.loss');
    expect(d.numericParams).toEqual(['params.lr', 'params.batch_size']);
    expect(numericFields(runs, fields).params).toEqual([
      'params.batch_size',
      'params.init',
      'params.lr',
      'params.seed',
    ]);
    expect(colorFieldOptions(runs)).toEqual({
      metrics: ['metrics.loss', 'metrics.system/cpu_utilization_percentage'],
      params: ['params.batch_size', 'params.init', 'params.lr', 'params.seed'],
    });
  });
});

describe('colouring lines by a field', () => {
  it('defaults to the first metric axis, honours a choice, and falls back from a stale one', () => {
    const axes = ['params.lr', 'metrics.loss', 'metrics.acc'];
    const offered = ['metrics.loss', 'metrics.acc', 'params.lr'];
    expect(resolveColorBy(undefined, axes, offered)).toBe('metrics.loss');
    expect(resolveColorBy('', axes, offered)).toBe('metrics.loss');
    expect(resolveColorBy('params.lr', axes, offered)).toBe('params.lr');
    expect(resolveColorBy(RUN_COLORS, axes, offered)).toBeNull();
    expect(resolveColorBy('metrics.gone', axes, offered)).toBe('metrics.loss');
    expect(resolveColorBy(undefined, ['params.lr', 'params.x'], offered)).toBeNull();
  });

  it('maps positions onto the ramp and draws its gradient', () => {
    expect(rampColor(0)).toBe('rgb(68, 1, 84)');
    expect(rampColor(1)).toBe('rgb(253, 231, 37)');
    expect(rampColor(0.5)).not.toBe(rampColor(0.6));
    expect(rampGradient('to right', 2)).toBe(
      `linear-gradient(to right, ${rampColor(0)} 0%, ${rampColor(0.5)} 50%, ${rampColor(1)} 100%)`,
    );
  });

  it('keeps scales and the colour choice in a saved parallel chart, dropping what it does not understand', () => {
    expect(
      parseChartSpec({
        type: 'parallel',
        axes: ['params.lr', 'metrics.loss'],
        brushes: {},
        scales: { 'params.lr': 'linear', 'metrics.loss': 'cubic' },
        color: 'run',
      }),
    ).toEqual({
      type: 'parallel',
      axes: ['params.lr', 'metrics.loss'],
      brushes: {},
      scales: { 'params.lr': 'linear' },
      color: 'run',
    });
    expect(parseChartSpec({ type: 'parallel', axes: ['a', 'b'], scales: 'log', color: 3 })).toEqual({
      type: 'parallel',
      axes: ['a', 'b'],
      brushes: {},
    });
  });
});

describe('axis labels that fit', () => {
  it('uses one row while names keep room, two staggered rows when crowded', () => {
    expect(titleLayout(2, 760)).toEqual({ rows: 1, maxChars: 40 });
    expect(titleLayout(9, 95)).toEqual({ rows: 1, maxChars: 12 });
    const crowded = titleLayout(20, 40);
    expect(crowded.rows).toBe(2);
    // Two rows: neighbours on a row stand 2 × 40 apart; the name fits in that minus a gap.
    expect(crowded.maxChars * 7).toBeLessThanOrEqual(80 - 8);
    expect(tickLabelChars(95)).toBe(10);
    expect(tickLabelChars(40)).toBe(3);
    expect(truncate('weight_decay', 6)).toBe('weigh…');
    expect(truncate('lr', 6)).toBe('lr');
  });
});

describe('compare-experiments metric columns', () => {
  const run = (id: string, metrics: Record<string, number>): Run => ({
    info: { run_id: id, experiment_id: '1', status: 'FINISHED' },
    data: { metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })) },
  });
  const runs = [
    run('a', { loss: 0.5, acc: 0.9, 'system/cpu': 50, f1: 1, auc: 0.7, mse: 2 }),
    run('b', { loss: 0.4, acc: 0.8, 'system/cpu': 40, f1: 1, auc: 0.6 }),
    run('c', { loss: 0.3, zeta: 1 }),
  ];

  it('lists keys with hardware metrics last and shows the commonest by default', () => {
    expect(metricKeysOf(runs)).toEqual(['acc', 'auc', 'f1', 'loss', 'mse', 'zeta', 'system/cpu']);
    expect(defaultMetricColumns(runs)).toEqual(['metrics.acc', 'metrics.auc', 'metrics.f1', 'metrics.loss']);
    expect(chosenMetricColumns(null, runs)).toEqual(defaultMetricColumns(runs));
    expect(chosenMetricColumns(['*'], runs)).toHaveLength(7);
    expect(chosenMetricColumns(['metrics.zeta', 'params.lr'], runs)).toEqual(['metrics.zeta']);
    expect(chosenMetricColumns([], runs)).toEqual([]);
    expect(latestMetric(runs[2], 'loss')).toBe(0.3);
    expect(latestMetric(runs[2], 'acc')).toBeUndefined();
  });

  it('cycles a header through ascending, descending and the default order', () => {
    expect(nextSort([], 'metrics.loss')).toEqual([{ id: 'metrics.loss', desc: false }]);
    expect(nextSort([{ id: 'metrics.loss', desc: false }], 'metrics.loss')).toEqual([
      { id: 'metrics.loss', desc: true },
    ]);
    expect(nextSort([{ id: 'metrics.loss', desc: true }], 'metrics.loss')).toEqual([]);
    expect(nextSort([{ id: 'metrics.loss', desc: true }], 'metrics.acc')).toEqual([{ id: 'metrics.acc', desc: false }]);
  });
});
