import { describe, expect, it } from 'vitest';
import { ALL_COLUMNS, expandColumns } from '../src/features/runs/column-choice.ts';
import { mergeKeys } from '../src/features/runs/run-values.ts';

describe('runs table keys: loaded runs merged with the experiment key registry', () => {
  const loaded = { metrics: ['loss'], params: ['lr'], tags: ['team'] };

  it('adds registered keys, once, sorted; system tags stay out as they do for loaded runs', () => {
    const registered = { metrics: ['acc', 'loss'], params: ['rare'], tags: ['mlflow.runName', 'owner'] };
    expect(mergeKeys(loaded, registered)).toEqual({
      metrics: ['acc', 'loss'],
      params: ['lr', 'rare'],
      tags: ['owner', 'team'],
    });
  });

  it('keeps the loaded keys while the registry is unknown or lacks them (a failed request, an older server)', () => {
    expect(mergeKeys(loaded, undefined)).toBe(loaded);
    expect(mergeKeys(loaded, { metrics: [], params: [], tags: [] })).toEqual(loaded);
  });

  it('shows the defaults when the URL names no columns, while `*` takes every key', () => {
    const all = mergeKeys(loaded, { metrics: ['acc'], params: ['a0'], tags: [] });
    expect(expandColumns(null, all, ['metrics.loss', 'params.lr'])).toEqual(['metrics.loss', 'params.lr']);
    expect(expandColumns(['params.lr', 'metrics.loss'], all, [])).toEqual(['params.lr', 'metrics.loss']);
    expect(expandColumns([ALL_COLUMNS], all, [])).toEqual([
      'metrics.acc',
      'metrics.loss',
      'params.a0',
      'params.lr',
      'tags.team',
    ]);
  });
});
