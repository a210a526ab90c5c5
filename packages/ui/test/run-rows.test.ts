import { describe, expect, it } from 'vitest';
import type { Run } from '../src/api/types.ts';
import { type Arrangement, arrangeRuns, type DisplayRow, groupValue, NO_VALUE } from '../src/features/runs/run-rows.ts';
import { summarize } from '../src/lib/group-stats.ts';
import { encodeRunColors, parseRunColors, runColor } from '../src/lib/run-colors.ts';

function run(
  id: string,
  opts: {
    params?: Record<string, string>;
    metrics?: Record<string, number | string>;
    tags?: Record<string, string>;
    status?: Run['info']['status'];
  } = {},
): Run {
  const kv = (o: Record<string, string> = {}) => Object.entries(o).map(([key, value]) => ({ key, value }));
  return {
    info: { run_id: id, run_name: id, experiment_id: '1', status: opts.status ?? 'FINISHED' },
    data: {
      params: kv(opts.params),
      tags: kv(opts.tags),
      metrics: Object.entries(opts.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0 })),
    },
  } as Run;
}

const NONE: Arrangement = {
  groupBy: '',
  pinned: [],
  hidden: [],
  showHidden: false,
  nest: false,
  expanded: [],
  collapsed: [],
};
const shown = (rows: DisplayRow[]) =>
  rows.map((r) =>
    r.kind === 'group'
      ? `[${r.label}:${r.count}]`
      : `${'  '.repeat(r.depth)}${r.run.info.run_id}${r.pinned ? '*' : ''}${r.hidden ? '~' : ''}`,
  );

describe('group statistics', () => {
  it('summarizes finite values only', () => {
    expect(summarize([1, '3', 2, undefined, 'NaN', 'Infinity', ''])).toEqual({ min: 1, max: 3, mean: 2, count: 3 });
    expect(summarize([undefined, 'NaN'])).toBeUndefined();
    expect(summarize([-5])).toEqual({ min: -5, max: -5, mean: -5, count: 1 });
  });
});

describe('arranging runs', () => {
  const runs = [
    run('a', { params: { opt: 'adam' }, metrics: { loss: 0.5, acc: 0.9 } }),
    run('b', { params: { opt: 'sgd' }, metrics: { loss: 0.9 } }),
    run('c', { params: { opt: 'adam' }, metrics: { loss: 0.3, acc: 'NaN' } }),
    run('d', { metrics: { loss: 1.2 }, status: 'RUNNING' }),
  ];

  it('groups by a param in first-seen order with min/max/mean per metric column', () => {
    const rows = arrangeRuns(runs, { ...NONE, groupBy: 'params.opt' }, ['metrics.loss', 'metrics.acc']);
    expect(shown(rows)).toEqual(['[adam:2]', 'a', 'c', '[sgd:1]', 'b', `[${NO_VALUE}:1]`, 'd']);
    const adam = rows[0].kind === 'group' ? rows[0] : undefined;
    expect(adam?.stats['metrics.loss']).toEqual({ min: 0.3, max: 0.5, mean: 0.4, count: 2 });
    expect(adam?.stats['metrics.acc']).toEqual({ min: 0.9, max: 0.9, mean: 0.9, count: 1 });
    const sgd = rows[3].kind === 'group' ? rows[3] : undefined;
    expect(sgd?.stats['metrics.acc']).toBeUndefined();
  });

  it('folds collapsed groups, groups by attributes, and keeps pinned runs first in their group', () => {
    expect(
      shown(arrangeRuns(runs, { ...NONE, groupBy: 'params.opt', collapsed: ['adam', ''], pinned: ['b'] }, [])),
    ).toEqual(['[adam:2]', '[sgd:1]', 'b*', `[${NO_VALUE}:1]`]);
    expect(shown(arrangeRuns(runs, { ...NONE, groupBy: 'attributes.status', pinned: ['c'] }, []))).toEqual([
      '[FINISHED:3]',
      'c*',
      'a',
      'b',
      '[RUNNING:1]',
      'd',
    ]);
    expect(groupValue(runs[0], 'tags.none')).toBeUndefined();
  });

  it('puts pinned runs on top and leaves hidden runs out unless asked; hidden runs leave the group statistics', () => {
    expect(shown(arrangeRuns(runs, { ...NONE, pinned: ['c', 'b'], hidden: ['a'] }, []))).toEqual(['b*', 'c*', 'd']);
    expect(shown(arrangeRuns(runs, { ...NONE, hidden: ['a'], showHidden: true }, []))).toEqual(['a~', 'b', 'c', 'd']);
    const grouped = arrangeRuns(runs, { ...NONE, groupBy: 'params.opt', hidden: ['c'] }, ['metrics.loss']);
    expect(grouped[0].kind === 'group' && grouped[0].stats['metrics.loss']).toEqual({
      min: 0.5,
      max: 0.5,
      mean: 0.5,
      count: 1,
    });
  });

  it('nests child runs under an expanded parent, and keeps loops and orphans at the top', () => {
    const family = [
      run('p'),
      run('k1', { tags: { 'mlflow.parentRunId': 'p' } }),
      run('g', { tags: { 'mlflow.parentRunId': 'k1' } }),
      run('k2', { tags: { 'mlflow.parentRunId': 'p' } }),
      run('orphan', { tags: { 'mlflow.parentRunId': 'gone' } }),
      run('x', { tags: { 'mlflow.parentRunId': 'y' } }),
      run('y', { tags: { 'mlflow.parentRunId': 'x' } }),
    ];
    const nest = { ...NONE, nest: true };
    expect(shown(arrangeRuns(family, NONE, []))).toEqual(['p', 'k1', 'g', 'k2', 'orphan', 'x', 'y']);
    expect(shown(arrangeRuns(family, nest, []))).toEqual(['p', 'orphan', 'x', 'y']);
    const open = arrangeRuns(family, { ...nest, expanded: ['p', 'k1'], pinned: ['k2'] }, []);
    expect(shown(open)).toEqual(['p', '  k2*', '  k1', '    g', 'orphan', 'x', 'y']);
    expect(open[0].kind === 'run' && [open[0].childCount, open[0].expanded]).toEqual([2, true]);
    // A hidden parent leaves its children at the top.
    expect(shown(arrangeRuns(family, { ...nest, hidden: ['p'] }, []))).toEqual(['k1', 'k2', 'orphan', 'x', 'y']);
    // Grouping flattens the nesting.
    expect(shown(arrangeRuns(family.slice(0, 2), { ...nest, groupBy: 'attributes.status' }, []))).toEqual([
      '[FINISHED:2]',
      'p',
      'k1',
    ]);
  });
});

describe('run colours', () => {
  it('round-trips through the URL list and falls back to the palette', () => {
    const colors = parseRunColors(['r1:#FF0000', 'bad', 'r2:red', 'a:b:#00ff00']);
    expect(colors).toEqual({ r1: '#ff0000', 'a:b': '#00ff00' });
    expect(parseRunColors(encodeRunColors(colors))).toEqual(colors);
    expect(runColor('r1', colors)).toBe('#ff0000');
    expect(runColor('zz', colors)).toMatch(/^#[0-9a-f]{6}$/);
  });
});
