import { describe, expect, it } from 'vitest';
import { commonestKey } from '../src/features/compare/compare-rows.ts';
import { comparedChartPoints } from '../src/features/compare/compare-state.ts';
import { CHART_POINT_BUDGET, chartPointsPerRun } from '../src/lib/chart-points.ts';

describe('points per run of a many-run line chart', () => {
  it('gives a few runs 1000 points each and shares a budget among many', () => {
    expect(chartPointsPerRun(1)).toBe(1000);
    expect(chartPointsPerRun(30)).toBe(1000);
    expect(chartPointsPerRun(60)).toBe(500);
    expect(chartPointsPerRun(100)).toBe(300);
    expect(chartPointsPerRun(100) * 100).toBeLessThanOrEqual(CHART_POINT_BUDGET);
  });

  it('never goes below 200 points per run, nor breaks on no runs', () => {
    expect(chartPointsPerRun(1000)).toBe(200);
    expect(chartPointsPerRun(0)).toBe(1000);
  });

  it('is what the compare page asks for (route-preload.ts prefetches the same query)', () => {
    expect(comparedChartPoints(100)).toBe(chartPointsPerRun(100));
  });
});

describe("the compare page's default metric", () => {
  it('is the key most runs have, the first in key order on a tie', () => {
    const runs = [
      new Map([
        ['loss', 1],
        ['acc', 2],
      ]),
      new Map([
        ['loss', 1],
        ['val', 2],
      ]),
      new Map([['val', 1]]),
    ];
    expect(commonestKey(runs)).toBe('loss');
    expect(commonestKey([new Map([['b', 1]]), new Map([['a', 1]])])).toBe('a');
    expect(commonestKey([new Map(), new Map()])).toBe('');
  });
});
