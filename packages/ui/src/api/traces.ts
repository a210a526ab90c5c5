/** Trove's trace views (`/api/trove/v1/experiments/{id}/traces`, `/runs/{id}/traces`, `/traces/{id}`). */
import type { TraceViews } from '@trove/protocol';
import { apiV3Post, troveGet } from './client.ts';

export type TraceSummary = TraceViews.TraceSummary;
export type TraceSpan = TraceViews.TraceSpan;
export type TraceSpanOutline = TraceViews.TraceSpanOutline;
export type TraceAssessment = TraceViews.TraceAssessment;
/** A trace with its spans' outlines: what the trace page draws first. */
export type TraceOutline = Omit<TraceViews.TraceViewResponse, 'spans'> & { spans: TraceSpanOutline[] };
export type TraceList = TraceViews.TraceListResponse;

export interface TraceListArgs {
  filter?: string;
  orderBy?: string[];
  pageToken?: string;
  maxResults?: number;
  /** timestamp_ms in [from, to). */
  from?: number;
  to?: number;
}

const query = (a: TraceListArgs) => ({
  filter: a.filter,
  order_by: a.orderBy,
  page_token: a.pageToken,
  max_results: a.maxResults,
  from: a.from,
  to: a.to,
});

export const listExperimentTraces = (experimentId: string, args: TraceListArgs, signal?: AbortSignal) =>
  troveGet<TraceList>(`/experiments/${encodeURIComponent(experimentId)}/traces`, query(args), signal);

export const listRunTraces = (runId: string, args: TraceListArgs, signal?: AbortSignal) =>
  troveGet<TraceList>(`/runs/${encodeURIComponent(runId)}/traces`, query(args), signal);

export const getTraceOutline = (traceId: string, signal?: AbortSignal) =>
  troveGet<TraceOutline>(`/traces/${encodeURIComponent(traceId)}`, { view: 'outline' }, signal);

/** One span with its inputs, outputs, attributes and events. */
export const getTraceSpan = (traceId: string, spanId: string, signal?: AbortSignal) =>
  troveGet<TraceSpan>(`/traces/${encodeURIComponent(traceId)}/spans/${encodeURIComponent(spanId)}`, {}, signal);

export interface NewAssessment {
  name: string;
  kind: 'feedback' | 'expectation';
  value: unknown;
  rationale: string;
  spanId?: string;
  user: string;
}

/** MLflow 3's CreateAssessment (`POST /traces/{trace_id}/assessments`), as a human's judgement. */
export const createAssessment = (traceId: string, a: NewAssessment) =>
  apiV3Post<unknown>(`/traces/${encodeURIComponent(traceId)}/assessments`, {
    assessment: {
      trace_id: traceId,
      assessment_name: a.name,
      source: { source_type: 'HUMAN', source_id: a.user },
      ...(a.spanId ? { span_id: a.spanId } : {}),
      ...(a.kind === 'feedback' ? { feedback: { value: a.value } } : { expectation: { value: a.value } }),
      ...(a.rationale ? { rationale: a.rationale } : {}),
    },
  });
