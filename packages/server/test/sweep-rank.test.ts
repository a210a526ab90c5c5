import { describe, expect, it } from 'vitest';
import { metricFromTags, mostLoggedKey, orderFor, rankChildren } from '../src/services/sweep-rank.ts';

describe('sweep metric choice', () => {
  it("reads the first key of the parent's sweep tag: plain, comma list or JSON array", () => {
    expect(metricFromTags([{ key: 'mlflow.sweep.metric', value: 'val/loss' }])).toBe('val/loss');
    expect(metricFromTags([{ key: 'sweep.metric', value: ' auc , f1' }])).toBe('auc');
    expect(metricFromTags([{ key: 'mlflow.sweep.metric', value: '["rmse", "mae"]' }])).toBe('rmse');
    expect(metricFromTags([{ key: 'other', value: 'x' }])).toBeUndefined();
  });

  it('falls back to the key most children logged, ties alphabetically', () => {
    expect(
      mostLoggedKey([
        { key: 'b', runs: 3 },
        { key: 'a', runs: 3 },
        { key: 'c', runs: 1 },
      ]),
    ).toBe('a');
    expect(mostLoggedKey([])).toBeUndefined();
  });

  it('orders loss/error/rmse/mae keys lower-first unless asked', () => {
    expect(orderFor('val/loss').order).toBe('asc');
    expect(orderFor('train_RMSE').order).toBe('asc');
    expect(orderFor('accuracy').order).toBe('desc');
    expect(orderFor('accuracy', 'asc')).toEqual({ order: 'asc', order_source: 'request' });
  });
});

describe('rankChildren', () => {
  const child = (i: number, value: number | null) => ({ run_id: `r${i}`, run_name: `t${i}`, value });

  it('gives equal values one rank and leaves runs without a value unranked', () => {
    const r = rankChildren([child(1, 0.5), child(2, 0.2), child(3, 0.5), child(4, null)], 'asc', 'r3');
    expect(r.siblings.map((s) => [s.run_id, s.rank])).toEqual([
      ['r2', 1],
      ['r1', 2],
      ['r3', 2],
    ]);
    expect(r).toMatchObject({ rank: 2, ranked_count: 3 });
  });

  it('keeps the best 50 and adds the run itself when it is further down', () => {
    const many = Array.from({ length: 80 }, (_, i) => child(i, i));
    const r = rankChildren(many, 'asc', 'r70');
    expect(r.siblings).toHaveLength(51);
    expect(r.siblings.at(-1)).toMatchObject({ run_id: 'r70', rank: 71 });
  });
});
