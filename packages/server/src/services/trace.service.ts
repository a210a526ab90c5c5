import { randomUUID } from 'node:crypto';
import { invalidParam, notFound, Traces, TroveError, validateKey } from '@trove/protocol';
import {
  countTraceSpans,
  deleteTraceKv,
  deleteTraceRows,
  findTrace,
  findTraces,
  findTracesByKey,
  insertTrace,
  loadTraceKvs,
  loadTraceSpans,
  loadTraceSpansExact,
  normalizeTraceState,
  runInTransaction,
  type Store,
  type StoreDb,
  searchTraces,
  selectTracesToDelete,
  type TraceKvKind,
  type TraceRow,
  updateTrace,
  upsertTraceKvs,
  upsertTraceSpans,
} from '@trove/store';
import { type ArtifactService, proxiedKey } from './artifact.service.ts';
import type { ExperimentService } from './experiment.service.ts';
import type { RunService } from './run.service.ts';
import { parseTraceData, type SpansFormat, type StoredSpan } from './trace-data.ts';
import { traceDataV2Json } from './trace-data-v2.ts';
import type { Workspace } from './workspace.service.ts';

/** Tag and metadata keys MLflow's clients and server give meaning to. */
export const TRACE_KEYS = {
  name: 'mlflow.traceName',
  artifactLocation: 'mlflow.artifactLocation',
  spansLocation: 'mlflow.trace.spansLocation',
  sourceRun: 'mlflow.sourceRun',
  inputs: 'mlflow.traceInputs',
  outputs: 'mlflow.traceOutputs',
  tokenUsage: 'mlflow.trace.tokenUsage',
} as const;

export const TRACES_JSON = 'traces.json';
/** Where a trace's span data lies under the proxy: `<experiment>/traces/<trace id>/artifacts/traces.json`. */
const TRACE_DATA_KEY = /^\d+\/traces\/([^/]+)\/artifacts\/traces\.json$/;
/** V2's SearchTraces limit (reference §13). */
const V2_MAX_RESULTS = 500;
const TAG_KEY_MAX = 250;
/** Traces whose files one delete removes per tag lookup. */
const FILE_BATCH = 500;
/** Trace tag values are kept whole (MLflow truncates at 8000); beyond this a request is refused. */
const TAG_VALUE_MAX = 1024 * 1024;

export type TraceRecord = TraceRow & { workspace_id: number };
export type Kv = { key: string; value: string };

/** The columns mirrored from tags and metadata (`0014_traces.ts`). */
function mirrors(tags: Kv[], metadata: Kv[]): Partial<TraceRow> {
  const out: Partial<TraceRow> = {};
  for (const { key, value } of tags) if (key === TRACE_KEYS.name) out.name = value;
  for (const { key, value } of metadata) {
    if (key === TRACE_KEYS.sourceRun) out.run_uuid = value;
    else if (key === TRACE_KEYS.inputs) out.request_preview = value;
    else if (key === TRACE_KEYS.outputs) out.response_preview = value;
    else if (key === TRACE_KEYS.tokenUsage) Object.assign(out, tokenCounts(value));
  }
  return out;
}

/** `mlflow.trace.tokenUsage` is JSON `{input_tokens, output_tokens, total_tokens}`. */
export function tokenCounts(json: string): Partial<TraceRow> {
  try {
    const u = JSON.parse(json) as Record<string, unknown>;
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
    return { input_tokens: n(u.input_tokens), output_tokens: n(u.output_tokens), total_tokens: n(u.total_tokens) };
  } catch {
    return {};
  }
}

const serverOwned = () => invalidParam(`Trace tag '${TRACE_KEYS.artifactLocation}' is set by the server.`);

/** A stored `traces.json`, read whole (its spans are parsed at once). */
async function wholeText(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

export function checkTraceTag(key: string, value: string): void {
  validateKey(key, 'tag key');
  if (key.length > TAG_KEY_MAX)
    throw invalidParam(`Trace tag key '${key.slice(0, 50)}…' is longer than ${TAG_KEY_MAX}.`);
  if (value.length > TAG_VALUE_MAX)
    throw invalidParam(`Trace tag '${key}' has a value of ${value.length} characters; at most ${TAG_VALUE_MAX}.`);
}

/**
 * Traces: the info MLflow's V2 and V3 APIs share, their tags and request metadata, and the spans
 * (kept in the store whichever way they arrive: a `traces.json` upload, V3's inline data, OTLP).
 */
export function createTraceService(
  store: Store,
  experiments: ExperimentService,
  runs: RunService,
  artifacts: ArtifactService,
) {
  const { db } = store;

  async function getRecord(ws: Workspace, traceId: string): Promise<TraceRecord> {
    const row = await findTrace(db, traceId);
    if (!row || Number(row.workspace_id) !== ws.id) throw notFound(`Trace with request_id '${traceId}' not found.`);
    return row;
  }

  async function kvsOf(pks: number[]) {
    return loadTraceKvs(db, pks);
  }

  /**
   * Writes tags and metadata and refreshes the mirrored columns. The artifact location stays the
   * server's: the 2.x client echoes it when ending a trace, and deleting a trace removes the
   * directory it names.
   */
  async function writeKvs(tx: StoreDb, pk: number, allTags: Kv[], metadata: Kv[]): Promise<void> {
    const tags = allTags.filter((t) => t.key !== TRACE_KEYS.artifactLocation);
    if (tags.length > 0) await upsertTraceKvs(tx, 'trace_tags', pk, tags);
    if (metadata.length > 0) await upsertTraceKvs(tx, 'trace_metadata', pk, metadata);
    const patch = mirrors(tags, metadata);
    if (Object.keys(patch).length > 0) await updateTrace(tx, pk, patch);
  }

  /**
   * Creates a trace's row; `traceId` defaults to MLflow 2's form (32 hex digits). With `merge`
   * (V3's StartTraceV3, sent when a trace ends) a trace already there, e.g. made by OTLP spans
   * arriving first, takes the given info and its tags and metadata are merged, as MLflow's store does.
   */
  async function create(
    ws: Workspace,
    input: {
      experimentId: string;
      traceId?: string;
      timestampMs: number;
      executionTimeMs?: number | null;
      state: string;
      tags: Kv[];
      metadata: Kv[];
      clientRequestId?: string | null;
      requestPreview?: string | null;
      responsePreview?: string | null;
      merge?: boolean;
    },
  ): Promise<TraceRecord> {
    const exp = await experiments.getActiveRow(ws, input.experimentId, () =>
      invalidParam(`The experiment ${input.experimentId} must be in the 'active' state.`),
    );
    for (const t of input.tags) checkTraceTag(t.key, t.value);
    const traceId = input.traceId ?? randomUUID().replaceAll('-', '');
    const location = `${exp.artifact_location.replace(/\/+$/, '')}/traces/${traceId}/artifacts`;
    const tags = [{ key: TRACE_KEYS.artifactLocation, value: location }];
    const columns = {
      timestamp_ms: input.timestampMs,
      execution_time_ms: input.executionTimeMs ?? null,
      state: normalizeTraceState(input.state),
      client_request_id: input.clientRequestId ?? null,
      request_preview: input.requestPreview ?? null,
      response_preview: input.responsePreview ?? null,
    };
    await runInTransaction(store, async (tx) => {
      const existing = await findTrace(tx, traceId);
      if (existing && !(input.merge && Number(existing.experiment_id) === Number(exp.experiment_id)))
        throw new TroveError('RESOURCE_ALREADY_EXISTS', `Trace '${traceId}' already exists.`);
      let pk: number;
      if (existing) {
        pk = Number(existing.id);
        // What the spans already told (previews, duration) stays unless the info names it.
        await updateTrace(tx, pk, Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== null)));
      } else {
        pk = await insertTrace(tx, { trace_id: traceId, experiment_id: exp.experiment_id, ...columns });
      }
      await upsertTraceKvs(tx, 'trace_tags', pk, tags);
      await writeKvs(tx, pk, input.tags, input.metadata);
    });
    return getRecord(ws, traceId);
  }

  /** V2's EndTrace: the execution time from the end timestamp, the final state, merged tags and metadata. */
  async function end(
    ws: Workspace,
    traceId: string,
    input: { timestampMs?: number; state?: string; tags: Kv[]; metadata: Kv[] },
  ): Promise<TraceRecord> {
    const state = normalizeTraceState(input.state ?? 'STATE_UNSPECIFIED');
    if (!(Traces.TRACE_STATES as readonly string[]).includes(state))
      throw invalidParam(`Invalid trace status '${input.state}'; one of ${Traces.TRACE_STATES.join(', ')}.`);
    for (const t of input.tags) checkTraceTag(t.key, t.value);
    const record = await getRecord(ws, traceId);
    await runInTransaction(store, async (tx) => {
      await updateTrace(tx, record.id, {
        state,
        ...(input.timestampMs === undefined
          ? {}
          : { execution_time_ms: input.timestampMs - Number(record.timestamp_ms) }),
      });
      await writeKvs(tx, record.id, input.tags, input.metadata);
    });
    return getRecord(ws, traceId);
  }

  /**
   * After a proxied upload: `<experiment>/traces/<trace id>/artifacts/traces.json` is a trace's span
   * data (MLflow 2's client and 3's fallback write it there); its spans are kept in the store. A
   * document that is not trace data stays an ordinary artifact.
   */
  async function onArtifactPut(ws: Workspace, key: string): Promise<void> {
    const record = await traceOfArtifactKey(ws, key);
    if (!record) return;
    const text = await wholeText((await artifacts.open(ws, key)).stream);
    await storeTraceData(record, text).catch((e) => {
      if (!(e instanceof TroveError)) throw e;
    });
  }

  async function traceOfArtifactKey(ws: Workspace, key: string): Promise<TraceRecord | undefined> {
    const m = TRACE_DATA_KEY.exec(key);
    const record = m ? await findTrace(db, m[1]) : undefined;
    return record && Number(record.workspace_id) === ws.id ? record : undefined;
  }

  /**
   * What a proxied read of `<experiment>/traces/<id>/artifacts/traces.json` answers when no such
   * file was uploaded but the store holds the trace's spans in another form (OTLP, V3): the
   * document MLflow 2's client reads, so its `get_trace` and `search_traces` see those traces too.
   */
  async function traceDataForArtifactKey(ws: Workspace, key: string): Promise<string | undefined> {
    const record = await traceOfArtifactKey(ws, key);
    if (record?.spans_format !== 'otel') return undefined;
    return traceDataV2Json(record.trace_id, await loadTraceSpansExact(db, record.id, true));
  }

  /** Stores spans given as a `traces.json` document (MLflow 2's upload, or V3's inline data). */
  async function storeTraceData(record: TraceRecord, text: string): Promise<void> {
    const { format, data } = parseTraceData(text);
    await storeSpans(record, format, data.spans, { request: data.request, response: data.response });
  }

  async function storeSpans(
    record: TraceRecord,
    format: SpansFormat,
    spans: StoredSpan[],
    extra?: { request: string | null; response: string | null },
  ): Promise<void> {
    await runInTransaction(store, async (tx) => {
      await upsertTraceSpans(
        tx,
        spans.map((s) => ({ ...s, trace_pk: record.id })),
      );
      await updateTrace(tx, record.id, {
        spans_format: format,
        span_count: await countTraceSpans(tx, record.id),
        ...(extra ? { request_json: extra.request, response_json: extra.response } : {}),
      });
    });
  }

  /**
   * The trace's spans from the store. A trace whose client wrote `traces.json` straight to a
   * local or remote artifact root (not through this server) has none yet: the file is read once
   * and its spans kept, so later reads stay in the store.
   */
  async function spansOf(ws: Workspace, record: TraceRecord) {
    if (record.spans_format === null) {
      const tags = (await kvsOf([record.id])).tags.get(record.id) ?? [];
      const location = tags.find((t) => t.key === TRACE_KEYS.artifactLocation)?.value;
      if (location !== undefined) {
        const text = await readArtifactText(ws, location).catch(() => undefined);
        if (text !== undefined) {
          await storeTraceData(record, text);
          record = await getRecord(ws, record.trace_id);
        }
      }
    }
    return { record, spans: await loadTraceSpans(db, record.id) };
  }

  async function readArtifactText(ws: Workspace, location: string): Promise<string> {
    return wholeText((await artifacts.openUriFile(ws, location, TRACES_JSON)).stream);
  }

  /** MLflow 2's TraceInfo. */
  async function presentV2(records: TraceRecord[]) {
    const { tags, metadata } = await kvsOf(records.map((r) => r.id));
    return records.map((r) => ({
      request_id: r.trace_id,
      experiment_id: String(r.experiment_id),
      timestamp_ms: Number(r.timestamp_ms),
      execution_time_ms: r.execution_time_ms === null ? undefined : Number(r.execution_time_ms),
      status: r.state === 'STATE_UNSPECIFIED' ? 'TRACE_STATUS_UNSPECIFIED' : r.state,
      request_metadata: metadata.get(r.id) ?? [],
      tags: tags.get(r.id) ?? [],
    }));
  }

  async function experimentIdsOf(ws: Workspace, ids: string[] | undefined): Promise<number[]> {
    if (!ids || ids.length === 0) throw invalidParam("Missing value for required parameter 'experiment_ids'.");
    return Promise.all(ids.map(async (id) => (await experiments.getRow(ws, id)).experiment_id));
  }

  async function search(
    ws: Workspace,
    q: {
      experimentIds?: string[];
      filter?: string;
      maxResults?: number;
      orderBy?: string[];
      pageToken?: string;
      timeFrom?: number;
      timeTo?: number;
    },
    limit: number,
  ): Promise<{ records: TraceRecord[]; nextPageToken?: string }> {
    const maxResults = q.maxResults ?? 100;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limit)
      throw invalidParam(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer at most ${limit}.`,
      );
    const page = await searchTraces(store, {
      experimentIds: await experimentIdsOf(ws, q.experimentIds),
      filter: q.filter,
      maxResults,
      orderBy: q.orderBy ?? [],
      pageToken: q.pageToken,
      timeFrom: q.timeFrom,
      timeTo: q.timeTo,
    });
    const rows = await findTracesByPk(page.ids);
    return { records: rows, nextPageToken: page.nextPageToken };
  }

  async function findTracesByPk(pks: number[]): Promise<TraceRecord[]> {
    const rows = await findTracesByKey(db, pks);
    const byPk = new Map(rows.map((r) => [Number(r.id), r]));
    return pks.map((pk) => byPk.get(pk)).filter((r): r is TraceRecord => r !== undefined);
  }

  async function remove(
    ws: Workspace,
    input: { experimentId?: string; maxTimestampMs?: number; maxTraces?: number; traceIds?: string[] },
  ): Promise<number> {
    if (!input.experimentId) throw invalidParam("Missing value for required parameter 'experiment_id'.");
    const byAge = input.maxTimestampMs !== undefined;
    const byId = input.traceIds !== undefined && input.traceIds.length > 0;
    if (byAge === byId)
      throw invalidParam(
        byAge
          ? 'Only one of `max_timestamp_millis` and `request_ids` can be specified.'
          : 'Either `max_timestamp_millis` or `request_ids` must be specified.',
      );
    if (byId && input.maxTraces !== undefined)
      throw invalidParam('`max_traces` can only be specified with `max_timestamp_millis`.');
    if (input.maxTraces !== undefined && input.maxTraces < 1)
      throw invalidParam(`Invalid value ${input.maxTraces} for parameter 'max_traces': it must be positive.`);
    const exp = await experiments.getRow(ws, input.experimentId);
    const pks = await selectTracesToDelete(db, {
      experimentId: exp.experiment_id,
      maxTimestampMs: input.maxTimestampMs,
      maxTraces: input.maxTraces,
      traceIds: byId ? input.traceIds : undefined,
    });
    // Files first: an interrupted delete leaves rows that a retry finds, never files nobody points at.
    for (let i = 0; i < pks.length; i += FILE_BATCH) await removeTraceFiles(ws, pks.slice(i, i + FILE_BATCH));
    return runInTransaction(store, (tx) => deleteTraceRows(tx, pks));
  }

  /** The `traces.json` a client uploaded through the proxy goes with its trace (only the trace's own directory). */
  async function removeTraceFiles(ws: Workspace, pks: number[]): Promise<void> {
    const { tags } = await kvsOf(pks);
    for (const r of await findTracesByPk(pks)) {
      const location = tags.get(Number(r.id))?.find((t) => t.key === TRACE_KEYS.artifactLocation)?.value;
      const key = location === undefined ? undefined : proxiedKey(location)?.replace(/\/artifacts$/, '');
      if (key?.endsWith(`/traces/${r.trace_id}`)) await artifacts.remove(ws, key);
    }
  }

  async function setKv(ws: Workspace, table: TraceKvKind, traceId: string, key: string, value: string): Promise<void> {
    if (table === 'trace_tags') checkTraceTag(key, value);
    if (table === 'trace_tags' && key === TRACE_KEYS.artifactLocation) throw serverOwned();
    const record = await getRecord(ws, traceId);
    await runInTransaction(store, (tx) =>
      writeKvs(
        tx,
        record.id,
        table === 'trace_tags' ? [{ key, value }] : [],
        table === 'trace_metadata' ? [{ key, value }] : [],
      ),
    );
  }

  async function deleteTag(ws: Workspace, traceId: string, key: string): Promise<void> {
    if (key === TRACE_KEYS.artifactLocation) throw serverOwned();
    const record = await getRecord(ws, traceId);
    const deleted = await deleteTraceKv(db, 'trace_tags', record.id, key);
    if (deleted === 0) throw notFound(`No trace tag with key '${key}' for trace with request_id '${traceId}'`);
    if (key === TRACE_KEYS.name) await updateTrace(db, record.id, { name: null });
  }

  /** Links traces to a run (`mlflow.sourceRun`), so searching the run's traces finds them. */
  async function linkToRun(ws: Workspace, traceIds: string[], runId: string): Promise<void> {
    if (traceIds.length === 0) throw invalidParam("Missing value for required parameter 'trace_ids'.");
    if (traceIds.length > 100) throw invalidParam(`At most 100 traces can be linked at once; got ${traceIds.length}.`);
    await runs.getRow(ws, runId);
    const records = await findTraces(db, traceIds);
    const found = new Set(records.filter((r) => Number(r.workspace_id) === ws.id).map((r) => r.trace_id));
    const missing = traceIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw notFound(`Traces not found: ${missing.join(', ')}`);
    await runInTransaction(store, async (tx) => {
      for (const r of records) await writeKvs(tx, r.id, [], [{ key: TRACE_KEYS.sourceRun, value: runId }]);
    });
  }

  return {
    getRecord,
    create,
    end,
    onArtifactPut,
    traceDataForArtifactKey,
    writeKvs,
    storeTraceData,
    storeSpans,
    spansOf,
    presentV2,
    search,
    remove,
    setKv,
    deleteTag,
    linkToRun,
    kvsOf,
    v2MaxResults: V2_MAX_RESULTS,
  };
}

export type TraceService = ReturnType<typeof createTraceService>;
