import { Charts } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Trove's native chart read (`/api/trove/v1/metrics/chart`, per workspace under `/w/<name>/…`). */
export function registerMetricChartRoutes(r: Router, { metricCharts }: Services): void {
  r.native('GET', '/metrics/chart', Charts.MetricChart, async ({ workspace, input }) =>
    metricCharts.chart(workspace, input),
  );
}
