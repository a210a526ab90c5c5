import { Charts, type Decoded, invalidParam, notFound } from '@trove/protocol';
import type { ChartPoint, MetricReader } from '@trove/store';
import type { Workspace } from './workspace.service.ts';

type ChartRequest = Decoded<typeof Charts.MetricChart>;

function columns(runId: string, points: ChartPoint[]): Charts.ChartSeries {
  const steps = new Array(points.length);
  const timestamps = new Array(points.length);
  const values = new Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    steps[i] = p.step;
    timestamps[i] = p.timestamp;
    values[i] = Number.isNaN(p.value) ? 'NaN' : p.value;
  }
  return { run_id: runId, steps, timestamps, values };
}

/**
 * Charts of one metric over many runs (`GET /api/trove/v1/metrics/chart`): per run, the points of
 * a step range downsampled on the server (`MetricReader.chart`), so a chart of 100 long series
 * costs about `points` per run however long they are. The runs and their series are found in one
 * query (`MetricReader.chartRuns`) and the series read together (`MetricReader.charts`: 8 at a
 * time on PostgreSQL), not one run after another. MLflow's `get-history-bulk-interval` stays as
 * MLflow defines it; this is the UI's read.
 */
export function createMetricChartService(reader: MetricReader) {
  async function chart(ws: Workspace, input: ChartRequest): Promise<Charts.MetricChartResponse> {
    const runIds = [...new Set(input.run_ids)];
    if (runIds.length > Charts.CHART_MAX_RUNS)
      throw invalidParam(`A chart may name at most ${Charts.CHART_MAX_RUNS} run_ids; got ${runIds.length}.`);
    const points = input.points === undefined ? Charts.CHART_DEFAULT_POINTS : Number(input.points);
    if (!(points >= Charts.CHART_MIN_POINTS && points <= Charts.CHART_MAX_POINTS))
      throw invalidParam(
        `points must be between ${Charts.CHART_MIN_POINTS} and ${Charts.CHART_MAX_POINTS}; got ${points}.`,
      );
    const start = input.start_step === undefined ? undefined : BigInt(input.start_step);
    const end = input.end_step === undefined ? undefined : BigInt(input.end_step);
    if (start !== undefined && end !== undefined && start > end)
      throw invalidParam(`start_step ${start} is after end_step ${end}.`);
    // Every run is looked up (in this workspace) before any series is read: a bad id fails fast,
    // the first one in request order, with RunService.getRow's error.
    const found = await reader.chartRuns(ws.id, runIds, input.metric_key);
    for (const id of runIds) if (!found.has(id)) throw notFound(`Run with id=${id} not found`);
    const series = await reader.charts(
      runIds.map((id) => found.get(id)),
      points,
      start,
      end,
      (chartPoints, i) => columns(runIds[i], chartPoints),
    );
    return { series };
  }

  return { chart };
}

export type MetricChartService = ReturnType<typeof createMetricChartService>;
