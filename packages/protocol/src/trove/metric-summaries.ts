// Trove's native metric summaries (GET /api/trove/v1/runs/{run_id}/metric-summaries): every metric
// of one run with its minimum, maximum and point count, kept up to date on the series row as
// points are written, so the answer costs one row per metric however long the histories are.

/** One metric of the run. `min`/`max` leave out NaN values; both are null when every value is NaN. */
export interface MetricSummary {
  key: string;
  min: number | null;
  max: number | null;
  count: number;
}

/** Sorted by key. The latest value of each metric is the run's own (`runs/get`). */
export interface MetricSummariesResponse {
  metrics: MetricSummary[];
}
