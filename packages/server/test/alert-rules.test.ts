import { DOUBLE_MAX } from '@trove/protocol';
import { describe, expect, it } from 'vitest';
import { type CompiledRule, type EvalPoint, firstBreach, foldBest } from '../src/alerts/alert-evaluation.ts';

const base: CompiledRule = {
  id: 1,
  revision: 1,
  workspaceId: 1,
  experimentId: 1,
  name: 'r',
  kind: 'threshold',
  key: 'loss',
  prefix: false,
  op: '>',
  threshold: 5,
  mode: null,
  steps: null,
  minutes: null,
};
const pt = (value: number, step: number, key = 'loss', isNan: 0 | 1 = 0): EvalPoint => ({ key, value, isNan, step });

describe('threshold', () => {
  it('finds the lowest-step breaching point of the rule key', () => {
    expect(firstBreach(base, [pt(1, 0), pt(6, 3), pt(7, 2), pt(100, 1, 'acc')])).toMatchObject({
      metricKey: 'loss',
      value: 7,
      step: 2,
      condition: 'loss > 5 (was 7)',
    });
    expect(firstBreach(base, [pt(5, 0), pt(0, 1, 'loss', 1)])).toBeUndefined();
  });
  it.each([
    ['>=', 5, true],
    ['>', 5, false],
    ['<', 4.9, true],
    ['<=', 5, true],
  ] as const)('op %s against %d', (op, value, fires) => {
    expect(firstBreach({ ...base, op }, [pt(value, 0)]) !== undefined).toBe(fires);
  });
  it('treats stored Infinity as the extreme and never NaN', () => {
    expect(firstBreach(base, [pt(DOUBLE_MAX, 0)])?.condition).toBe('loss > 5 (was Infinity)');
    expect(firstBreach({ ...base, op: '<' }, [pt(0, 0, 'loss', 1)])).toBeUndefined();
  });
  it('matches prefixes', () => {
    const rule = { ...base, key: 'val/', prefix: true };
    expect(firstBreach(rule, [pt(9, 0, 'train/loss'), pt(9, 1, 'val/loss')])?.metricKey).toBe('val/loss');
  });
});

describe('nan_inf', () => {
  const rule = { ...base, kind: 'nan_inf' as const, op: null, threshold: null };
  it('fires on NaN and ±Infinity only', () => {
    expect(firstBreach(rule, [pt(1e300, 0), pt(-1e300, 1)])).toBeUndefined();
    expect(firstBreach(rule, [pt(0, 4, 'loss', 1)])?.condition).toBe('loss is NaN');
    expect(firstBreach(rule, [pt(-DOUBLE_MAX, 2)])?.condition).toBe('loss is -Infinity');
  });
});

describe('no_improvement', () => {
  const rule = { ...base, kind: 'no_improvement' as const, mode: 'min' as const, steps: 3, op: null, threshold: null };
  it('keeps the best value and its step, and fires when the latest step is N past it', () => {
    const a = foldBest(rule, undefined, [pt(2, 1), pt(1, 0), pt(3, 2)]);
    expect(a).toMatchObject({ best: { value: 1, step: 0 }, changed: true, latestStep: 2 });
    expect(a.firing).toBeUndefined();
    const b = foldBest(rule, a.best, [pt(1, 3)]);
    expect(b.changed).toBe(false);
    expect(b.firing?.condition).toBe('loss: no new min in 3 steps (best 1 at step 0)');
  });
  it('max mode, NaN skipped, other keys ignored', () => {
    const max = { ...rule, mode: 'max' as const, steps: 2 };
    const r = foldBest(max, { value: 0.5, step: 0 }, [pt(0.9, 1), pt(0, 2, 'loss', 1), pt(5, 3, 'acc')]);
    expect(r).toMatchObject({ best: { value: 0.9, step: 1 }, changed: true, latestStep: 1 });
    expect(foldBest(max, r.best, [pt(0, 5, 'other')])).toMatchObject({ changed: false, latestStep: undefined });
  });
});
