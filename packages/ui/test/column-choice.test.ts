import { describe, expect, it } from 'vitest';
import type { Run } from '../src/api/types.ts';
import { chooseDefaultColumns, namedMetrics } from '../src/features/runs/column-choice.ts';
import { encodeWidths, moveColumn, moveColumnTo, parseWidths, shownFixed } from '../src/features/runs/column-layout.ts';
import { dataColumnsOf } from '../src/features/runs/run-values.ts';

const run = (i: number, metrics: string[], params: Record<string, string>): Run =>
  ({
    info: { run_id: `r${i}`, run_name: `r${i}`, status: 'FINISHED', start_time: '1' },
    data: {
      metrics: metrics.map((key) => ({ key, value: 1, timestamp: '1', step: '0' })),
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      tags: [],
    },
  }) as unknown as Run;

/** 30 runs of a sweep: most log loss/acc, a few a summary; system metrics everywhere. */
const sweep = Array.from({ length: 30 }, (_, i) =>
  run(i, i < 3 ? ['best', 'system/cpu'] : ['loss', 'acc', 'system/cpu', 'system/gpu'], {
    dataset: 'imagenet',
    lr: String([0.1, 0.01, 0.001][i % 3]),
    optimizer: i % 2 ? 'adam' : 'sgd',
    seed: String(1000 + i),
  }),
);

describe('default columns', () => {
  it('takes the metrics most runs logged first, leaves system metrics out, and params that vary but are no seeds', () => {
    expect(chooseDefaultColumns(sweep)).toEqual([
      'metrics.acc',
      'metrics.loss',
      'metrics.best',
      'params.optimizer',
      'params.lr',
    ]);
  });

  it('puts the metric the sort or the filter names first, even a system metric', () => {
    expect(chooseDefaultColumns(sweep, { sort: [{ id: 'metrics.loss' }] }).slice(0, 2)).toEqual([
      'metrics.loss',
      'metrics.acc',
    ]);
    expect(chooseDefaultColumns(sweep, { filter: 'metrics.`system/gpu` > 50' })[0]).toBe('metrics.system/gpu');
  });

  it('keeps a whole-number param unique per run when there are few runs (it may be the setting under study)', () => {
    const few = [run(0, [], { batch: '32' }), run(1, [], { batch: '64' })];
    expect(chooseDefaultColumns(few)).toEqual(['params.batch']);
  });

  it('keeps a real-valued param unique per run (a random search) however many runs there are', () => {
    const random = sweep.map((_, i) => run(i, [], { lr: String(0.5 + i / 7) }));
    expect(chooseDefaultColumns(random)).toEqual(['params.lr']);
  });

  it('reads metric names out of filter text, quoted or not', () => {
    expect(namedMetrics({ filter: 'metrics.loss < 1 and metrics."val acc" > 0.5 and params.lr = "1"' })).toEqual([
      'loss',
      'val acc',
    ]);
  });
});

describe('column layout', () => {
  it('shows the default run columns unless the URL names them, unknown ids dropped', () => {
    expect(shownFixed(null)).not.toContain('tag-chips');
    expect(shownFixed(null)).toContain('attributes.user_id');
    expect(shownFixed(['duration', 'bogus', 'attributes.status'])).toEqual(['duration', 'attributes.status']);
    expect(shownFixed([])).toEqual([]);
  });

  it('round-trips widths through `id:px`, ids with colons included, clamped', () => {
    const widths = { 'metrics.a:b': 150, duration: 5, 'params.x': 99999 };
    expect(parseWidths(encodeWidths(widths))).toEqual({ 'metrics.a:b': 150, duration: 40, 'params.x': 1000 });
    expect(parseWidths(['nonsense', 'x:', ':12', 'y:1.5'])).toEqual({});
    expect(encodeWidths({})).toBeNull();
  });

  it('moves a column left or right, stopping at the ends', () => {
    expect(moveColumn(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'a', 5)).toEqual(['b', 'c', 'a']);
    expect(moveColumn(['a'], 'z', 1)).toEqual(['a']);
  });

  it('moves a dropped column to where its target was', () => {
    expect(moveColumnTo(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(moveColumnTo(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(moveColumnTo(['a', 'b'], 'a', 'zz')).toEqual(['a', 'b']);
  });

  it('keeps the chosen order of data columns, groups interleaved', () => {
    expect(dataColumnsOf(['params.lr', 'metrics.loss', 'duration']).map((c) => c.id)).toEqual([
      'params.lr',
      'metrics.loss',
    ]);
  });
});

describe('column layout in saved views', () => {
  it('stores the run columns and widths, and applying the view brings them back', async () => {
    const { fromViewState, sameAsView, toViewState } = await import('../src/features/runs/runs-view-state.ts');
    const url = {
      filter: '',
      name: '',
      status: '',
      sort: [],
      col: ['metrics.loss'],
      fixed: ['attributes.user_id', 'attributes.status'],
      width: ['metrics.loss:180', 'attributes.run_name:120'],
      group: '',
      pin: null,
      hide: null,
      color: null,
      charts: { version: 1, maxRuns: 50, charts: [], collapsed: [] },
    } as Parameters<typeof toViewState>[0];
    const view = toViewState(url);
    expect(view.fixed_columns).toEqual(['attributes.user_id', 'attributes.status']);
    expect(view.column_widths).toEqual({ 'metrics.loss': 180, 'attributes.run_name': 120 });
    const applied = fromViewState(view);
    expect(applied.fixed).toEqual(url.fixed);
    expect(applied.width).toEqual(url.width);
    expect(sameAsView(url, view)).toBe(true);
    expect(sameAsView({ ...url, width: null }, view)).toBe(false);
    // A view saved before these fields existed matches the default layout.
    const { fixed_columns: _f, column_widths: _w, ...old } = toViewState({ ...url, fixed: null, width: null });
    expect(sameAsView({ ...url, fixed: null, width: null }, old as typeof view)).toBe(true);
  });
});
