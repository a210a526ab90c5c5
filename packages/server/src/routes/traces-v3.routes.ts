import { invalidParam, Traces } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const toNumber = (v: number | bigint | undefined) => (v === undefined ? undefined : Number(v));

/** MLflow's trace API, V3 (`/api/3.0/mlflow/traces…`, used by the 3.x clients and MLflow 3's UI), and assessments. */
export function registerTraceV3Routes(r: Router, { traces, tracesV3, assessments }: Services): void {
  const v3 = '3.0';
  r.rpc(
    'POST',
    '/traces',
    Traces.StartTraceV3,
    async ({ workspace, input }) => ({ trace: { trace_info: await tracesV3.start(workspace, input.trace) } }),
    v3,
  );
  r.rpc(
    'GET',
    '/traces/get',
    Traces.GetTrace,
    async ({ workspace, input }) => ({
      trace: await tracesV3.get(workspace, input.trace_id, input.allow_partial ?? false),
    }),
    v3,
  );
  r.rpc(
    'GET',
    '/traces/batchGet',
    Traces.BatchGetTraces,
    async ({ workspace, input }) => {
      const traces = await tracesV3.batchGet(workspace, input.trace_ids);
      return traces.length === 0 ? {} : { traces };
    },
    v3,
  );
  r.rpc(
    'POST',
    '/traces/search',
    Traces.SearchTracesV3,
    async ({ workspace, input }) =>
      tracesV3.search(workspace, {
        locations: input.locations,
        filter: input.filter,
        maxResults: toNumber(input.max_results),
        orderBy: input.order_by,
        pageToken: input.page_token,
      }),
    v3,
  );
  r.rpc(
    'POST',
    '/traces/calculate-filter-correlation',
    Traces.CalculateTraceFilterCorrelation,
    async ({ workspace, input }) =>
      tracesV3.correlation(workspace, {
        experimentIds: input.experiment_ids,
        filter1: input.filter_string1,
        filter2: input.filter_string2,
        baseFilter: input.base_filter,
      }),
    v3,
  );
  r.rpc(
    'POST',
    '/traces/delete-traces',
    Traces.DeleteTraces,
    async ({ workspace, input }) => ({
      traces_deleted: await traces.remove(workspace, {
        experimentId: input.experiment_id,
        maxTimestampMs: toNumber(input.max_timestamp_millis),
        maxTraces: toNumber(input.max_traces),
        traceIds: input.request_ids,
      }),
    }),
    v3,
  );
  r.rpc(
    'GET',
    '/traces/:trace_id',
    {},
    async ({ workspace, params }) => ({ trace: { trace_info: await tracesV3.info(workspace, params.trace_id) } }),
    v3,
  );
  r.rpc(
    'PATCH',
    '/traces/:trace_id/tags',
    Traces.SetTraceTag,
    async ({ workspace, input, params }) => {
      if (!input.key) throw invalidParam("Missing value for required parameter 'key'.");
      await traces.setKv(workspace, 'trace_tags', params.trace_id, input.key, input.value ?? '');
      return {};
    },
    v3,
  );
  r.rpc(
    'DELETE',
    '/traces/:trace_id/tags',
    Traces.DeleteTraceTag,
    async ({ workspace, input, params }) => {
      if (!input.key) throw invalidParam("Missing value for required parameter 'key'.");
      await traces.deleteTag(workspace, params.trace_id, input.key);
      return {};
    },
    v3,
  );
  r.rpc(
    'POST',
    '/traces/:trace_id/assessments',
    Traces.CreateAssessment,
    async ({ workspace, input, params }) => ({
      assessment: await assessments.create(workspace, params.trace_id, input.assessment),
    }),
    v3,
  );
  r.rpc(
    'GET',
    '/traces/:trace_id/assessments/:assessment_id',
    {},
    async ({ workspace, params }) => ({
      assessment: await assessments.get(workspace, params.trace_id, params.assessment_id),
    }),
    v3,
  );
  r.rpc(
    'PATCH',
    '/traces/:trace_id/assessments/:assessment_id',
    Traces.UpdateAssessment,
    async ({ workspace, input, params }) => ({
      assessment: await assessments.update(
        workspace,
        params.trace_id,
        params.assessment_id,
        input.assessment,
        input.update_mask,
      ),
    }),
    v3,
  );
  r.rpc(
    'DELETE',
    '/traces/:trace_id/assessments/:assessment_id',
    {},
    async ({ workspace, params }) => {
      await assessments.remove(workspace, params.trace_id, params.assessment_id);
      return {};
    },
    v3,
  );
}
