import { Charts } from '@trove/protocol';
import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';

/** Trove's native chart read (`/api/trove/v1/metrics/chart`, per workspace under `/w/<name>/…`). */
export function registerMetricChartRoutes(r: RpcRouter, { metricCharts }: Services): void {
  native(r, 'GET', '/metrics/chart', Charts.MetricChart, async ({ workspace, input }) => metricCharts.chart(workspace, input));
}
