import { describe, expect, it } from 'vitest';
import type { Run } from '../src/api/types.ts';
import { defaultFields } from '../src/charts/chart-defaults.ts';
import { chartFields, toChartRuns, varyingFields } from '../src/charts/chart-runs.ts';
import { colorForId } from '../src/charts/palette.ts';

const run = (
  id: string,
  params: Record<string, string>,
  metrics: Record<string, number | string>,
  tags: Record<string, string> = {},
): Run => ({
  info: { run_id: id, run_name: `run-${id}`, experiment_id: '1', status: 'FINISHED' },
  data: {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  },
});

describe('runs as charts read them', () => {
  const runs = [
    run('a', { lr: '0.1', opt: 'adam', seed: '1' }, { loss: 0.5, acc: 0.9 }, { team: 'x', 'mlflow.user': 'u' }),
    run('b', { lr: '0.01', opt: 'sgd', seed: '1' }, { loss: 'NaN', acc: 0.8 }),
    run('c', { lr: '0.001', opt: 'sgd', seed: '1' }, { loss: 0.3 }),
  ];

  it('keys values by field id, colours by chosen colour or run id, and drops NaN metrics', () => {
    const chart = toChartRuns(runs, { c: '#123456' });
    expect(chart.map((r) => [r.id, r.label, r.color])).toEqual([
      ['a', 'run-a', colorForId('a')],
      ['b', 'run-b', colorForId('b')],
      ['c', 'run-c', '#123456'],
    ]);
    expect(chart[0].values.get('params.lr')).toBe('0.1');
    expect(chart[0].values.get('metrics.loss')).toBe(0.5);
    expect(chart[1].values.has('metrics.loss')).toBe(false);
    expect(chartFields(chart)).toEqual({
      metrics: ['metrics.acc', 'metrics.loss'],
      params: ['params.lr', 'params.opt', 'params.seed'],
      tags: ['tags.team'],
    });
  });

  it('defaults to the params that vary, the commonest metric, and the param with fewest values to group by', () => {
    const chart = toChartRuns(runs);
    const fields = chartFields(chart);
    expect(varyingFields(chart, fields.params)).toEqual(['params.lr', 'params.opt']);
    expect(defaultFields(chart, fields)).toEqual({
      metric: 'metrics.acc', // two runs have each; ties go alphabetically
      params: ['params.lr', 'params.opt'],
      numericParams: ['params.lr'],
      parallel: ['params.lr', 'params.opt', 'metrics.acc', 'metrics.loss'],
      group: 'params.opt',
    });
  });
});
