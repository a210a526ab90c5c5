import { describe, expect, it } from 'vitest';
import { npmiFromCounts } from '../src/services/trace-npmi.ts';

// Expected values computed with MLflow 3.6's `calculate_npmi_from_counts` on the same counts.
describe('npmiFromCounts (MLflow trace filter correlation)', () => {
  it.each([
    [[1, 1, 1, 3], 1.0, 0.5221120088126169],
    [[1, 1, 1, 2], 1.0, 0.41339010522284747],
    [[10, 20, 15, 100], 0.5228787452803378, 0.5098689991831412],
    [[0, 5, 5, 20], -1.0, -0.31330979162112166],
    [[3, 3, 3, 3], 1.0, 1.0],
  ])('counts %j → npmi %d, smoothed %d', ([joint, f1, f2, total], npmi, smoothed) => {
    const r = npmiFromCounts(joint, f1, f2, total);
    expect(r.npmi).toBeCloseTo(npmi, 12);
    expect(r.npmiSmoothed).toBeCloseTo(smoothed, 12);
  });

  it('is undefined (NaN) without support, without a population, or for inconsistent counts', () => {
    for (const [joint, f1, f2, total] of [
      [0, 0, 3, 10],
      [2, 5, 4, 0],
      [5, 3, 4, 10],
    ]) {
      const r = npmiFromCounts(joint, f1, f2, total);
      expect([r.npmi, r.npmiSmoothed]).toEqual([Number.NaN, Number.NaN]);
    }
  });
});
