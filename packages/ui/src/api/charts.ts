/** Trove's native chart read: one metric of up to 100 runs, downsampled per run on the server. */
import type { Charts } from '@trove/protocol';
import { troveGet } from './client.ts';
import type { Parsed } from './types.ts';

export interface ChartRequest {
  runIds: string[];
  key: string;
  /** Step range (zoom); either end may be left open. */
  startStep?: number | null;
  endStep?: number | null;
  /** Points per run at most (the server keeps each bucket's first, min, max and last); every point once the range holds fewer. */
  points?: number;
}

/** `GET /api/trove/v1/metrics/chart`: per run, steps, timestamps and values as columns, in step order. */
export async function getMetricChart(q: ChartRequest, signal?: AbortSignal): Promise<Parsed<Charts.ChartSeries>[]> {
  const r = await troveGet<Charts.MetricChartResponse>(
    '/metrics/chart',
    {
      metric_key: q.key,
      run_ids: q.runIds,
      start_step: q.startStep === null || q.startStep === undefined ? undefined : Math.floor(q.startStep),
      end_step: q.endStep === null || q.endStep === undefined ? undefined : Math.ceil(q.endStep),
      points: q.points ?? 1000,
    },
    signal,
  );
  return r.series;
}
