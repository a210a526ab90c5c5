import { invalidParam, stringifyJson, TroveError } from '@trove/protocol';
import {
  findStoredSpanKeys,
  findTraces,
  mergeTraceSummaries,
  runInTransaction,
  type Store,
  type TraceSummary,
  upsertTraceKvRows,
  upsertTraceSpans,
} from '@trove/store';
import type { ExportTraceServiceRequest } from '../otlp/otlp-codec.ts';
import { type IngestSpan, readSpans } from '../otlp/otlp-spans.ts';
import { summarizeTrace } from '../otlp/trace-summary.ts';
import type { ExperimentService } from './experiment.service.ts';
import { TRACE_KEYS } from './trace.service.ts';
import type { Workspace } from './workspace.service.ts';

export interface IngestResult {
  accepted: number;
  /** Spans that were not stored, with why (OTLP's `partial_success`). */
  rejected?: { count: number; message: string };
}

type KvRow = { trace_pk: number; key: string; value: string };

/**
 * OpenTelemetry ingest: the spans of one OTLP export request into an experiment's traces, in one
 * transaction. Each OTel trace becomes MLflow trace `tr-<trace id>` (or the trace its spans'
 * `mlflow.traceRequestId` names), created on first sight and updated as its spans arrive.
 */
export function createOtlpIngestService(store: Store, experiments: ExperimentService) {
  async function ingest(
    ws: Workspace,
    experimentId: string,
    request: ExportTraceServiceRequest,
  ): Promise<IngestResult> {
    const experiment = await experiments
      .getActiveRow(ws, experimentId, () =>
        invalidParam(`Experiment ${experimentId} is not active: spans cannot be logged to it.`),
      )
      .catch((e) => {
        if (e instanceof TroveError && e.code === 'RESOURCE_DOES_NOT_EXIST')
          throw invalidParam(`No experiment with id '${experimentId}' (header x-mlflow-experiment-id).`);
        throw e;
      });
    const { spans, rejected } = readSpans(request);
    const reasons = rejected.map((r) => r.reason);
    const byTrace = new Map<string, IngestSpan[]>();
    // Traces and their spans in key order, so concurrent requests lock rows in the same order (PostgreSQL).
    spans.sort((a, b) => compare(a.traceId, b.traceId) || compare(a.row.span_id, b.row.span_id));
    for (const s of spans) {
      const list = byTrace.get(s.traceId) ?? [];
      list.push(s);
      byTrace.set(s.traceId, list);
    }
    const accepted = await runInTransaction(store, async (tx) => {
      const existing = new Map((await findTraces(tx, [...byTrace.keys()])).map((t) => [t.trace_id, t]));
      for (const [traceId, list] of byTrace) {
        const t = existing.get(traceId);
        const why =
          t === undefined
            ? undefined
            : Number(t.experiment_id) !== experiment.experiment_id
              ? `trace ${traceId} belongs to another experiment`
              : t.spans_format === 'mlflow-v2'
                ? `trace ${traceId} holds MLflow 2 span data`
                : undefined;
        if (why === undefined) continue;
        for (const _ of list) reasons.push(why);
        byTrace.delete(traceId);
      }
      const stored = await findStoredSpanKeys(
        tx,
        [...existing.values()].filter((t) => byTrace.has(t.trace_id)).map((t) => Number(t.id)),
        [...new Set([...byTrace.values()].flat().map((s) => s.row.span_id))],
      );
      const pkOf = (traceId: string) => existing.get(traceId)?.id;
      const summaries: TraceSummary[] = [];
      for (const [traceId, list] of byTrace) {
        const pk = pkOf(traceId);
        const f = summarizeTrace(list, (s) => pk !== undefined && stored.has(`${pk}/${s.row.span_id}`));
        summaries.push({
          trace_id: traceId,
          experiment_id: experiment.experiment_id,
          timestamp_ms: f.timestampMs,
          execution_time_ms: f.executionTimeMs,
          state: f.state,
          name: f.name,
          request_preview: f.requestPreview,
          response_preview: f.responsePreview,
          input_tokens: f.tokens?.input ?? null,
          output_tokens: f.tokens?.output ?? null,
          total_tokens: f.tokens?.total ?? null,
          span_count: f.newSpans,
          spans_format: 'otel',
        });
      }
      const merged = await mergeTraceSummaries(tx, summaries);
      const pks = new Map(merged.map((m) => [m.trace_id, m.id]));
      const totals = new Map(merged.map((m) => [m.id, m]));
      await upsertTraceSpans(
        tx,
        [...byTrace].flatMap(([traceId, list]) =>
          list.map((s) => ({ ...s.row, trace_pk: pks.get(traceId) as number })),
        ),
      );
      const tags: KvRow[] = [];
      const metadata: KvRow[] = [];
      for (const s of summaries) {
        const pk = pks.get(s.trace_id) as number;
        if (!existing.has(s.trace_id)) {
          const location = `${experiment.artifact_location.replace(/\/+$/, '')}/traces/${s.trace_id}/artifacts`;
          tags.push({ trace_pk: pk, key: TRACE_KEYS.artifactLocation, value: location });
          tags.push({ trace_pk: pk, key: TRACE_KEYS.spansLocation, value: 'TRACKING_STORE' });
        }
        if (s.name !== null) tags.push({ trace_pk: pk, key: TRACE_KEYS.name, value: s.name });
        if (s.request_preview !== null)
          metadata.push({ trace_pk: pk, key: TRACE_KEYS.inputs, value: s.request_preview });
        if (s.response_preview !== null)
          metadata.push({ trace_pk: pk, key: TRACE_KEYS.outputs, value: s.response_preview });
        const m = totals.get(pk);
        if (s.input_tokens !== null && m)
          metadata.push({
            trace_pk: pk,
            key: TRACE_KEYS.tokenUsage,
            value: stringifyJson({
              input_tokens: m.input_tokens,
              output_tokens: m.output_tokens,
              total_tokens: m.total_tokens,
            }),
          });
      }
      await upsertTraceKvRows(tx, 'trace_tags', tags);
      await upsertTraceKvRows(tx, 'trace_metadata', metadata);
      return [...byTrace.values()].reduce((n, list) => n + list.length, 0);
    });
    if (reasons.length === 0) return { accepted };
    return { accepted, rejected: { count: reasons.length, message: summarizeReasons(reasons) } };
  }

  return { ingest };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One line per distinct reason, with how many spans it stopped. */
function summarizeReasons(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .slice(0, 20)
    .map(([r, n]) => (n > 1 ? `${r} (${n} spans)` : r))
    .join('; ');
}

export type OtlpIngestService = ReturnType<typeof createOtlpIngestService>;
