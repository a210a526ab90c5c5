import { notFound, type TraceViews } from '@trove/protocol';
import {
  countTraceAssessments,
  findTraceSpanExact,
  loadTraceAssessments,
  loadTraceSpansExact,
  loadTraceTags,
  type Store,
} from '@trove/store';
import type { RunService } from './run.service.ts';
import type { TraceRecord, TraceService } from './trace.service.ts';
import { spanOutline, spanView } from './trace-span-view.ts';
import type { Workspace } from './workspace.service.ts';

/** The traces table's page limit (MLflow's V3 search allows as many). */
const MAX_PAGE = 500;
/**
 * Spans decoded between turns of the event loop: a 10k-span trace is ~100 ms of decoding, which
 * would otherwise hold back the page's own script chunks queued behind it on the one thread.
 */
const SPANS_PER_TURN = 1000;

async function spanViews(rows: Parameters<typeof spanView>[0][]): Promise<TraceViews.TraceSpan[]> {
  const out: TraceViews.TraceSpan[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % SPANS_PER_TURN === 0) await new Promise(setImmediate);
    out[i] = spanView(rows[i]);
  }
  return out;
}

export interface TraceListQuery {
  filter?: string;
  orderBy?: string[];
  pageToken?: string;
  maxResults?: number;
  from?: number;
  to?: number;
}

const num = (v: number | bigint | null): number | null => (v === null ? null : Number(v));

function parsedOr(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function summary(
  r: TraceRecord,
  tags: { key: string; value: string }[],
  counts: TraceViews.AssessmentCounts,
): TraceViews.TraceSummary {
  return {
    trace_id: r.trace_id,
    experiment_id: String(r.experiment_id),
    name: r.name,
    state: r.state,
    timestamp_ms: Number(r.timestamp_ms),
    execution_time_ms: num(r.execution_time_ms),
    request_preview: r.request_preview,
    response_preview: r.response_preview,
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    total_tokens: num(r.total_tokens),
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
    run_id: r.run_uuid,
    span_count: Number(r.span_count),
    assessments: counts,
  };
}

/**
 * What the UI's trace views read (`/api/trove/v1/experiments/{id}/traces`, `/runs/{id}/traces`,
 * `/traces/{id}`): a page is one search plus batched loads of its tags and assessment counts; a
 * trace is one read of its spans, each decoded once.
 */
export function createTraceViewService(store: Store, traces: TraceService, runs: RunService) {
  const { db } = store;

  async function summaries(records: TraceRecord[]): Promise<TraceViews.TraceSummary[]> {
    const pks = records.map((r) => Number(r.id));
    const [tags, counts] = await Promise.all([loadTraceTags(db, pks), countTraceAssessments(db, pks)]);
    const byTrace = new Map<number, TraceViews.AssessmentCounts>();
    for (const c of counts) {
      const entry = byTrace.get(c.trace_pk) ?? { feedback: 0, expectation: 0 };
      if (c.kind === 'feedback' || c.kind === 'expectation') entry[c.kind] += c.n;
      byTrace.set(c.trace_pk, entry);
    }
    return records.map((r) =>
      summary(r, tags.get(Number(r.id)) ?? [], byTrace.get(Number(r.id)) ?? { feedback: 0, expectation: 0 }),
    );
  }

  async function list(ws: Workspace, experimentId: string, q: TraceListQuery): Promise<TraceViews.TraceListResponse> {
    const page = await traces.search(
      ws,
      {
        experimentIds: [experimentId],
        filter: q.filter,
        orderBy: q.orderBy,
        pageToken: q.pageToken,
        maxResults: q.maxResults,
        timeFrom: q.from,
        timeTo: q.to,
      },
      MAX_PAGE,
    );
    return { traces: await summaries(page.records), next_page_token: page.nextPageToken };
  }

  /** The run's traces among its experiment's (`run_id` is MLflow's `mlflow.sourceRun`), ANDed to `filter`. */
  async function listForRun(ws: Workspace, runId: string, q: TraceListQuery): Promise<TraceViews.TraceListResponse> {
    const run = await runs.getRow(ws, runId);
    const byRun = `run_id = '${runId.replaceAll("'", "''")}'`;
    const filter = q.filter?.trim() ? `(${q.filter}) AND ${byRun}` : byRun;
    return list(ws, String(run.experiment_id), { ...q, filter });
  }

  /** The trace's record, its spans imported first when its client wrote traces.json straight to artifact storage. */
  async function recordWithSpans(ws: Workspace, traceId: string): Promise<TraceRecord> {
    const record = await traces.getRecord(ws, traceId);
    return record.spans_format === null ? (await traces.spansOf(ws, record)).record : record;
  }

  async function get(ws: Workspace, traceId: string, outline = false): Promise<TraceViews.TraceViewResponse> {
    const record = await recordWithSpans(ws, traceId);
    const pk = Number(record.id);
    const [[head], spans, kvs, assessments] = await Promise.all([
      summaries([record]),
      outline
        ? loadTraceSpansExact(db, pk, false).then((rows) => rows.map(spanOutline))
        : loadTraceSpansExact(db, pk, true).then(spanViews),
      traces.kvsOf([pk]),
      loadTraceAssessments(db, [pk]),
    ]);
    return {
      trace: {
        ...head,
        metadata: Object.fromEntries((kvs.metadata.get(pk) ?? []).map((m) => [m.key, m.value])),
        request: parsedOr(record.request_json),
        response: parsedOr(record.response_json),
      },
      spans,
      assessments: assessments.map((a) => ({
        assessment_id: a.assessment_id,
        name: a.name,
        kind: a.kind,
        span_id: a.span_id,
        valid: Number(a.valid) === 1,
        creation_time_ms: Number(a.creation_time),
        content: parsedOr(a.content),
      })),
    };
  }

  async function span(ws: Workspace, traceId: string, spanId: string): Promise<TraceViews.TraceSpan> {
    const record = await recordWithSpans(ws, traceId);
    const row = await findTraceSpanExact(db, Number(record.id), spanId.toLowerCase());
    if (!row) throw notFound(`Trace '${traceId}' has no span '${spanId}'.`);
    return spanView(row);
  }

  return { list, listForRun, get, span };
}

export type TraceViewService = ReturnType<typeof createTraceViewService>;
