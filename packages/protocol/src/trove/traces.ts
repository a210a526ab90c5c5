// Trove's native trace views (issue 14), what the UI's Traces tab and trace page read:
//   GET /api/trove/v1/experiments/{experiment_id}/traces   one page of the experiment's traces
//   GET /api/trove/v1/runs/{run_id}/traces                 the same rows, for the traces linked to a run
//   GET /api/trove/v1/traces/{trace_id}                    one trace: info, spans (normalized), assessments
//   GET /api/trove/v1/traces/{trace_id}/spans/{span_id}    one span, whole
import { defineMessage, enumOf, i32, i64, str, strList } from '../message.ts';

/**
 * A page of traces. `filter` is MLflow's trace grammar (`status = 'ERROR' AND tags.env = 'prod'`,
 * `text ILIKE '%refund%'`); `from`/`to` bound `timestamp_ms` to [from, to); `order_by` as
 * MLflow's SearchTraces takes it (default newest first); `max_results` at most 500 (default 100).
 */
export const ListTraces = defineMessage({
  filter: str(),
  order_by: strList(),
  page_token: str(),
  max_results: i32(),
  from: i64(),
  to: i64(),
});

/**
 * `view=outline` gives each span's tree and timing fields only (what the trace page draws first:
 * no span JSON is read), `full` (the default) every field.
 */
export const GetTrace = defineMessage({ view: enumOf(['full', 'outline'] as const) });

/** Counts of a trace's valid assessments by kind. */
export interface AssessmentCounts {
  feedback: number;
  expectation: number;
}

/** One row of the traces table. Previews are MLflow's `mlflow.traceInputs`/`mlflow.traceOutputs`, as stored. */
export interface TraceSummary {
  trace_id: string;
  experiment_id: string;
  name: string | null;
  /** OK, ERROR, IN_PROGRESS or STATE_UNSPECIFIED. */
  state: string;
  timestamp_ms: number;
  execution_time_ms: number | null;
  request_preview: string | null;
  response_preview: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  /** The trace's tags (MLflow's `mlflow.*` ones included). */
  tags: Record<string, string>;
  /** The run the trace is linked to (`mlflow.sourceRun`). */
  run_id: string | null;
  span_count: number;
  assessments: AssessmentCounts;
}

export interface TraceListResponse {
  traces: TraceSummary[];
  next_page_token?: string;
}

export interface SpanEvent {
  name: string;
  /** Nanoseconds since the epoch, as a decimal string (beyond 2^53). */
  timestamp_ns: string | null;
  attributes: Record<string, unknown>;
}

/**
 * A span, the same whichever format it was stored in (MLflow 2's span dict, MLflow 3's OTel
 * dict, OTLP). Attribute values are decoded (MLflow writes them as JSON text); `inputs` and
 * `outputs` are MLflow's `mlflow.spanInputs`/`mlflow.spanOutputs`, taken out of `attributes`.
 */
export interface TraceSpanOutline {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  span_type: string | null;
  /** Nanoseconds since the epoch, as decimal strings (beyond 2^53). */
  start_ns: string | null;
  end_ns: string | null;
  /** OK, ERROR or UNSET. */
  status: string | null;
}

export interface TraceSpan extends TraceSpanOutline {
  status_message: string | null;
  inputs: unknown;
  outputs: unknown;
  attributes: Record<string, unknown>;
  events: SpanEvent[];
}

/** An assessment as stored (`content` is MLflow's Assessment object, parsed). */
export interface TraceAssessment {
  assessment_id: string;
  name: string;
  /** `feedback` or `expectation`. */
  kind: string;
  span_id: string | null;
  valid: boolean;
  creation_time_ms: number;
  content: unknown;
}

export interface TraceDetail extends TraceSummary {
  tags: Record<string, string>;
  metadata: Record<string, string>;
  /** MLflow 2's `traces.json` top-level `request`/`response`, when the client wrote them. */
  request: unknown;
  response: unknown;
}

export interface TraceViewResponse {
  trace: TraceDetail;
  /** In start order (ties by span id); outlines only with `view=outline`. */
  spans: TraceSpan[] | TraceSpanOutline[];
  assessments: TraceAssessment[];
}
