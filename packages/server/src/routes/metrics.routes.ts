import { Tracking } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';
import { runIdOf } from '../services/run.service.ts';

export function registerMetricRoutes(r: Router, { metricHistory }: Services): void {
  r.rpc('GET', '/metrics/get-history', Tracking.GetMetricHistory, ({ workspace, input }) =>
    metricHistory.history(
      workspace,
      runIdOf(input),
      input.metric_key,
      input.max_results === undefined ? undefined : Number(input.max_results),
      input.page_token,
    ),
  );
  r.rpc('GET', '/metrics/get-history-bulk-interval', Tracking.GetMetricHistoryBulkInterval, ({ workspace, input }) =>
    metricHistory.bulkInterval(workspace, input),
  );
  r.rpc('GET', '/metrics/get-history-bulk', Tracking.GetMetricHistoryBulk, ({ workspace, input }) =>
    metricHistory.bulk(workspace, input),
  );
}
