import { defineMessage, i32, i64, str, strList } from '../message.ts';
import type { Int64, MetricValue } from '../mlflow/entities.ts';

// Trove's native chart read (/api/trove/v1/metrics/chart): one metric of up to 100 runs over a
// step range, downsampled per run on the server with min and max kept.

export const MetricChart = defineMessage({
  metric_key: str(true),
  run_ids: strList(true),
  start_step: i64(),
  end_step: i64(),
  points: i32(),
});

/** Most runs one chart request may name (MLflow's bulk-interval limit). */
export const CHART_MAX_RUNS = 100;
/** Points per run when `points` is not given. */
export const CHART_DEFAULT_POINTS = 1000;
/** Fewest and most points per run a request may ask for (M4 keeps up to four points per bucket). */
export const CHART_MIN_POINTS = 4;
export const CHART_MAX_POINTS = 10_000;

/**
 * One run's points, column-wise, in step order (then history order within a step): every point in
 * the range when there are at most `points`, else the first, min, max and last of each step bucket.
 * Values are numbers, or "NaN" (±Infinity are stored as ±DBL_MAX, as MLflow does).
 */
export interface ChartSeries {
  run_id: string;
  steps: Int64[];
  timestamps: Int64[];
  values: MetricValue[];
}

export interface MetricChartResponse {
  /** In the order of `run_ids` (duplicates once); a run without the metric has empty columns. */
  series: ChartSeries[];
}
