import { invalidParam, notFound, readKeyValues, Traces } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';
import { traceDataJson } from '../services/trace-data.ts';

const toNumber = (v: number | bigint | undefined) => (v === undefined ? undefined : Number(v));

/** MLflow's trace API, V2 (`/api/2.0/mlflow/traces…`, used by the 2.x clients), and the UI's trace download. */
export function registerTraceV2Routes(r: Router, { traces }: Services): void {
  r.rpc('POST', '/traces', Traces.StartTrace, async ({ workspace, input }) => {
    const record = await traces.create(workspace, {
      experimentId: input.experiment_id ?? '',
      timestampMs: toNumber(input.timestamp_ms) ?? Date.now(),
      state: 'IN_PROGRESS',
      tags: readKeyValues(input.tags, 'tags'),
      metadata: readKeyValues(input.request_metadata, 'request_metadata'),
    });
    return { trace_info: (await traces.presentV2([record]))[0] };
  });
  r.rpc('PATCH', '/traces/:request_id', Traces.EndTrace, async ({ workspace, input, params }) => {
    if (input.request_id && input.request_id !== params.request_id)
      throw invalidParam('request_id in the body does not match the path.');
    const record = await traces.end(workspace, params.request_id, {
      timestampMs: toNumber(input.timestamp_ms),
      state: input.status,
      tags: readKeyValues(input.tags, 'tags'),
      metadata: readKeyValues(input.request_metadata, 'request_metadata'),
    });
    return { trace_info: (await traces.presentV2([record]))[0] };
  });
  r.rpc('GET', '/traces/:request_id/info', {}, async ({ workspace, params }) => ({
    trace_info: (await traces.presentV2([await traces.getRecord(workspace, params.request_id)]))[0],
  }));
  r.rpc('GET', '/traces', Traces.SearchTraces, async ({ workspace, input }) => {
    const page = await traces.search(
      workspace,
      {
        experimentIds: input.experiment_ids,
        filter: input.filter,
        maxResults: input.max_results === undefined ? undefined : Number(input.max_results),
        orderBy: input.order_by,
        pageToken: input.page_token,
      },
      traces.v2MaxResults,
    );
    return { traces: await traces.presentV2(page.records), next_page_token: page.nextPageToken };
  });
  r.rpc('POST', '/traces/delete-traces', Traces.DeleteTraces, async ({ workspace, input }) => ({
    traces_deleted: await traces.remove(workspace, {
      experimentId: input.experiment_id,
      maxTimestampMs: toNumber(input.max_timestamp_millis),
      maxTraces: toNumber(input.max_traces),
      traceIds: input.request_ids,
    }),
  }));
  r.rpc('PATCH', '/traces/:request_id/tags', Traces.SetTraceTag, async ({ workspace, input, params }) => {
    if (!input.key) throw invalidParam("Missing value for required parameter 'key'.");
    await traces.setKv(workspace, 'trace_tags', params.request_id, input.key, input.value ?? '');
    return {};
  });
  r.rpc('DELETE', '/traces/:request_id/tags', Traces.DeleteTraceTag, async ({ workspace, input, params }) => {
    if (!input.key) throw invalidParam("Missing value for required parameter 'key'.");
    await traces.deleteTag(workspace, params.request_id, input.key);
    return {};
  });
  r.rpc('POST', '/traces/link-to-run', Traces.LinkTracesToRun, async ({ workspace, input }) => {
    if (!input.run_id) throw invalidParam("Missing value for required parameter 'run_id'.");
    await traces.linkToRun(workspace, input.trace_ids ?? [], input.run_id);
    return {};
  });
  r.raw(
    'GET',
    '/get-trace-artifact',
    async (req, reply, ws) => {
      const q = req.query as Record<string, string | string[] | undefined>;
      const id = Array.isArray(q.request_id) ? q.request_id[0] : q.request_id;
      if (!id) throw invalidParam("Missing value for required parameter 'request_id'.");
      const { record, spans } = await traces.spansOf(ws, await traces.getRecord(ws, id));
      if (record.spans_format === null) throw notFound(`Trace '${id}' has no span data yet.`);
      return reply
        .code(200)
        .header('Content-Type', 'application/octet-stream')
        .header('Content-Disposition', 'attachment; filename=traces.json')
        .send(traceDataJson(spans, record.request_json, record.response_json));
    },
    { api: 'mlflow', version: '2.0' },
  );
}
