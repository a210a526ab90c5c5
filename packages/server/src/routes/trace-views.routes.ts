import { type Decoded, TraceViews } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';
import type { TraceListQuery } from '../services/trace-view.ts';

const n = (v: number | bigint | undefined) => (v === undefined ? undefined : Number(v));
const listQuery = (input: Decoded<typeof TraceViews.ListTraces>): TraceListQuery => ({
  filter: input.filter,
  orderBy: input.order_by,
  pageToken: input.page_token,
  maxResults: n(input.max_results),
  from: n(input.from),
  to: n(input.to),
});

/** The UI's trace views (`/api/trove/v1/…/traces`, `/traces/{id}`): the traces table and the trace page. */
export function registerTraceViewRoutes(r: Router, { traceViews }: Services): void {
  r.native('GET', '/experiments/:experiment_id/traces', TraceViews.ListTraces, async ({ workspace, params, input }) =>
    traceViews.list(workspace, params.experiment_id, listQuery(input)),
  );
  r.native('GET', '/runs/:run_id/traces', TraceViews.ListTraces, async ({ workspace, params, input }) =>
    traceViews.listForRun(workspace, params.run_id, listQuery(input)),
  );
  r.native('GET', '/traces/:trace_id', TraceViews.GetTrace, async ({ workspace, params, input }) =>
    traceViews.get(workspace, params.trace_id, input.view === 'outline'),
  );
  r.native('GET', '/traces/:trace_id/spans/:span_id', {}, async ({ workspace, params }) =>
    traceViews.span(workspace, params.trace_id, params.span_id),
  );
}
