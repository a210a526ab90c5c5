/**
 * Points per run a line chart asks the server for (`GET /api/trove/v1/metrics/chart`), from how
 * many runs share it. One run gets 1000 (M4 keeps each bucket's first, min, max and last: ~250
 * buckets, finer than a chart's pixel columns need); many overlaid runs share a budget, so a
 * chart of 100 runs moves, parses and draws 30k points rather than 100k, while each line keeps
 * ~75 buckets with their spikes, about one per 15 px of a full-width chart.
 */
export const CHART_POINT_BUDGET = 30_000;
export const MOST_POINTS_PER_RUN = 1000;
export const FEWEST_POINTS_PER_RUN = 200;

export function chartPointsPerRun(runCount: number): number {
  const share = Math.floor(CHART_POINT_BUDGET / Math.max(1, runCount));
  return Math.min(MOST_POINTS_PER_RUN, Math.max(FEWEST_POINTS_PER_RUN, share));
}
