import { randomUUID } from 'node:crypto';
import { invalidParam, notFound, parseJson, Traces } from '@trove/protocol';
import { countTraceFilters, findTraces, normalizeTraceState, runInTransaction, type Store } from '@trove/store';
import type { AssessmentService } from './assessment.service.ts';
import type { ExperimentService } from './experiment.service.ts';
import { type Kv, TRACE_KEYS, type TraceRecord, type TraceService } from './trace.service.ts';
import { npmiFromCounts } from './trace-npmi.ts';
import { durationOf, durationToMs, otelTraceHex, otlpSpanJson, timestampOf, timestampToMs } from './trace-v3-format.ts';
import type { Workspace } from './workspace.service.ts';

/** SearchTracesV3's limit (MLflow's handler). */
const V3_MAX_RESULTS = 500;
/** MLflow's metadata key whose `num_spans` says how many spans a finished trace has. */
const SIZE_STATS = 'mlflow.trace.sizeStats';
const TRACKING_STORE = 'TRACKING_STORE';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function kvsOfMap(v: unknown, field: string): Kv[] {
  if (v === undefined || v === null) return [];
  if (!isObj(v)) throw invalidParam(`'${field}' must be a map of strings.`);
  return Object.entries(v).map(([key, value]) => {
    if (typeof value !== 'string') throw invalidParam(`'${field}.${key}' must be a string.`);
    return { key, value };
  });
}

/** The experiment of a V3 trace location (`{type: MLFLOW_EXPERIMENT, mlflow_experiment: {experiment_id}}`). */
export function locationExperiment(location: unknown): string | undefined {
  if (!isObj(location) || !isObj(location.mlflow_experiment)) return undefined;
  const id = location.mlflow_experiment.experiment_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * MLflow 3's trace API over the same rows V2 reads: TraceInfoV3 (protobuf Timestamp/Duration
 * strings, maps, the experiment as a trace location, the trace's assessments) and whole traces
 * whose spans come from the store as OTLP spans in protobuf JSON.
 */
export function createTraceV3Service(
  store: Store,
  experiments: ExperimentService,
  traces: TraceService,
  assessments: AssessmentService,
) {
  async function present(records: TraceRecord[]): Promise<Json[]> {
    const [{ tags, metadata }, byTrace] = await Promise.all([
      traces.kvsOf(records.map((r) => r.id)),
      assessments.ofTraces(records),
    ]);
    return records.map((r) => {
      const tagMap = Object.fromEntries((tags.get(r.id) ?? []).map((t) => [t.key, t.value]));
      // Spans kept in the store are read from it: the 3.x client then skips the artifact round trip.
      if (r.spans_format !== null) tagMap[TRACE_KEYS.spansLocation] = TRACKING_STORE;
      const meta = metadata.get(r.id) ?? [];
      const listed = byTrace.get(r.id) ?? [];
      // Empty maps and lists are left out, as protobuf JSON leaves them.
      return {
        trace_id: r.trace_id,
        ...(r.client_request_id === null ? {} : { client_request_id: r.client_request_id }),
        trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: String(r.experiment_id) } },
        ...(r.request_preview === null ? {} : { request_preview: r.request_preview }),
        ...(r.response_preview === null ? {} : { response_preview: r.response_preview }),
        request_time: timestampOf(Number(r.timestamp_ms)),
        ...(r.execution_time_ms === null ? {} : { execution_duration: durationOf(Number(r.execution_time_ms)) }),
        state: r.state,
        ...(meta.length === 0 ? {} : { trace_metadata: Object.fromEntries(meta.map((m) => [m.key, m.value])) }),
        ...(listed.length === 0 ? {} : { assessments: listed }),
        ...(Object.keys(tagMap).length === 0 ? {} : { tags: tagMap }),
      };
    });
  }

  /** StartTraceV3: the client sends it when the trace ends, with the whole TraceInfoV3. */
  async function start(ws: Workspace, trace: Json): Promise<Json> {
    const info = trace.trace_info;
    if (!isObj(info)) throw invalidParam("Missing value for required parameter 'trace.trace_info'.");
    const experimentId = locationExperiment(info.trace_location);
    if (experimentId === undefined)
      throw invalidParam('trace_info.trace_location must be an MLflow experiment location with an experiment_id.');
    const traceId = typeof info.trace_id === 'string' && info.trace_id !== '' ? info.trace_id : undefined;
    const state = normalizeTraceState(typeof info.state === 'string' ? info.state : 'STATE_UNSPECIFIED');
    if (!(Traces.TRACE_STATES as readonly string[]).includes(state))
      throw invalidParam(`Invalid trace state '${info.state}'; one of OK, ERROR, IN_PROGRESS, STATE_UNSPECIFIED.`);
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const record = await traces.create(ws, {
      experimentId,
      traceId: traceId ?? `tr-${randomUUID().replaceAll('-', '')}`,
      timestampMs: info.request_time === undefined ? Date.now() : timestampToMs(info.request_time, 'request_time'),
      executionTimeMs:
        info.execution_duration === undefined ? null : durationToMs(info.execution_duration, 'execution_duration'),
      state,
      tags: kvsOfMap(info.tags, 'tags').filter((t) => t.key !== TRACE_KEYS.spansLocation),
      metadata: kvsOfMap(info.trace_metadata, 'trace_metadata'),
      clientRequestId: str(info.client_request_id),
      requestPreview: str(info.request_preview) ?? str(info.request),
      responsePreview: str(info.response_preview) ?? str(info.response),
      merge: true,
    });
    if (Array.isArray(info.assessments) && info.assessments.length > 0)
      await runInTransaction(store, async (tx) => {
        for (const a of info.assessments as unknown[]) if (isObj(a)) await assessments.insert(tx, record, a);
      });
    return (await present([record]))[0];
  }

  async function info(ws: Workspace, traceId: string): Promise<Json> {
    return (await present([await traces.getRecord(ws, traceId)]))[0];
  }

  /** Whether every span the client counted (`mlflow.trace.sizeStats`) has arrived. */
  async function complete(record: TraceRecord, spanCount: number): Promise<boolean> {
    const meta = (await traces.kvsOf([record.id])).metadata.get(record.id) ?? [];
    const stats = meta.find((m) => m.key === SIZE_STATS)?.value;
    if (stats === undefined) return true;
    try {
      const expected = (parseJson(stats) as Json).num_spans;
      return typeof expected !== 'number' || spanCount >= expected;
    } catch {
      return true;
    }
  }

  /** Info and spans, or undefined when the store has no spans for it (or, unless partial, not all of them). */
  async function whole(ws: Workspace, record: TraceRecord, allowPartial: boolean): Promise<Json | undefined> {
    const { record: r, spans } = await traces.spansOf(ws, record);
    if (r.spans_format === null && !allowPartial) return undefined;
    if (!allowPartial && !(await complete(r, spans.length))) return undefined;
    const hex = otelTraceHex(r.trace_id);
    return {
      trace_info: (await present([r]))[0],
      ...(spans.length === 0 ? {} : { spans: spans.map((s) => otlpSpanJson(s.content, hex)) }),
    };
  }

  async function get(ws: Workspace, traceId: string, allowPartial: boolean): Promise<Json> {
    const trace = await whole(ws, await traces.getRecord(ws, traceId), allowPartial);
    if (trace === undefined)
      throw notFound(`Trace with ID ${traceId} is not fully exported yet, please try again later.`);
    return trace;
  }

  /** The complete traces among `traceIds`, in the order asked; others are left out, as MLflow does. */
  async function batchGet(ws: Workspace, traceIds: string[]): Promise<Json[]> {
    const records = (await findTraces(store.db, traceIds)).filter((r) => Number(r.workspace_id) === ws.id);
    const byId = new Map(records.map((r) => [r.trace_id, r]));
    const out: Json[] = [];
    for (const id of new Set(traceIds)) {
      const record = byId.get(id);
      const trace = record && (await whole(ws, record, false));
      if (trace) out.push(trace);
    }
    return out;
  }

  async function search(
    ws: Workspace,
    q: { locations?: Json[]; filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string },
  ): Promise<{ traces?: Json[]; next_page_token?: string }> {
    const experimentIds = (q.locations ?? []).map(locationExperiment).filter((id): id is string => id !== undefined);
    if (experimentIds.length === 0)
      throw invalidParam("Missing value for required parameter 'locations': at least one MLflow experiment location.");
    const page = await traces.search(
      ws,
      { experimentIds, filter: q.filter, maxResults: q.maxResults, orderBy: q.orderBy, pageToken: q.pageToken },
      V3_MAX_RESULTS,
    );
    const found = await present(page.records);
    return { ...(found.length === 0 ? {} : { traces: found }), next_page_token: page.nextPageToken };
  }

  /** CalculateTraceFilterCorrelation: how two filters co-occur over the experiments' traces (NPMI). */
  async function correlation(
    ws: Workspace,
    q: { experimentIds?: string[]; filter1?: string; filter2?: string; baseFilter?: string },
  ): Promise<Json> {
    if (!q.experimentIds || q.experimentIds.length === 0)
      throw invalidParam("Missing value for required parameter 'experiment_ids'.");
    if (!q.filter1) throw invalidParam("Missing value for required parameter 'filter_string1'.");
    if (!q.filter2) throw invalidParam("Missing value for required parameter 'filter_string2'.");
    const experimentIds = await Promise.all(
      q.experimentIds.map(async (id) => (await experiments.getRow(ws, id)).experiment_id),
    );
    const counts = await countTraceFilters(store, {
      experimentIds,
      base: q.baseFilter,
      filter1: q.filter1,
      filter2: q.filter2,
    });
    const { npmi, npmiSmoothed } = npmiFromCounts(counts.joint, counts.filter1, counts.filter2, counts.total);
    // Protobuf JSON writes a NaN double as "NaN".
    const num = (v: number) => (Number.isNaN(v) ? 'NaN' : v);
    return {
      npmi: num(npmi),
      npmi_smoothed: num(npmiSmoothed),
      filter1_count: counts.filter1,
      filter2_count: counts.filter2,
      joint_count: counts.joint,
      total_count: counts.total,
    };
  }

  return { present, start, info, get, batchGet, search, correlation };
}

export type TraceV3Service = ReturnType<typeof createTraceV3Service>;
