import { queryOptions } from '@tanstack/react-query';
import { getMetricChart } from '../api/charts.ts';

/**
 * One metric of some runs over a step range (null: the whole history), downsampled to `points`
 * per run: MetricChart's query, and what app/route-preload.ts prefetches when the URL names the
 * metric (small module: the preload lives in the entry chunk, the chart does not).
 */
export function metricChartQuery(
  key: string,
  runIds: readonly string[],
  range: readonly [number, number] | null,
  points: number,
) {
  return queryOptions({
    queryKey: ['metric-chart', key, runIds, range, points],
    queryFn: ({ signal }) =>
      getMetricChart({ runIds: [...runIds], key, startStep: range?.[0], endStep: range?.[1], points }, signal),
  });
}
