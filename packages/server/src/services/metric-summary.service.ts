import type { MetricSummariesResponse } from '@trove/protocol';
import { listRunMetricSummaries, type Store } from '@trove/store';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

/** A run's metrics with min, max and count (`GET /api/trove/v1/runs/{run_id}/metric-summaries`), for the run page. */
export function createMetricSummaryService(store: Store, runs: RunService) {
  async function list(ws: Workspace, runUuid: string): Promise<MetricSummariesResponse> {
    const run = await runs.getRow(ws, runUuid);
    const rows = await listRunMetricSummaries(store.db, run.id);
    return {
      metrics: rows.map((r) => ({ key: r.key, min: r.min_value, max: r.max_value, count: r.point_count })),
    };
  }
  return { list };
}

export type MetricSummaryService = ReturnType<typeof createMetricSummaryService>;
