import { parseJson, stringifyJson } from '@trove/protocol';
import { decodeAttribute, normalizeSpanId } from './trace-data.ts';

/**
 * MLflow 2's `traces.json` for a trace whose spans arrived in the OpenTelemetry form (OTLP, V3):
 * the 2.x client reads a trace's spans only from that file, and logs a warning and drops the trace
 * when it is missing or its spans do not parse (`Span.from_dict`).
 */
export interface SpanRowV2 {
  span_id: string;
  parent_span_id: string | null;
  name: string | null;
  status: string | null;
  start_ns: string | null;
  end_ns: string | null;
  content: string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const REQUEST_ID = 'mlflow.traceRequestId';
const STATUS_CODES = new Set(['OK', 'ERROR', 'UNSET']);

/** Exact digits: ns times pass through as text, never as a rounded double. */
class Digits {
  constructor(readonly text: string) {}
}

function toText(v: unknown): string {
  if (v instanceof Digits) return v.text;
  if (Array.isArray(v)) return `[${v.map(toText).join(',')}]`;
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${toText(x)}`)
      .join(',')}}`;
  return stringifyJson(v ?? null);
}

const nanos = (v: unknown): Digits | null =>
  typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))
    ? new Digits(String(v))
    : typeof v === 'string' && /^\d+$/.test(v)
      ? new Digits(v)
      : null;

/** The OTel trace id (32 hex digits) the span belongs to, as MLflow 2's `context.trace_id`. */
function otelTraceId(doc: Obj, traceId: string): string {
  for (const v of [doc.otel_trace_id, doc.trace_id, traceId.replace(/^tr-/, '')]) {
    const hex = normalizeSpanId(v);
    if (hex !== null && /^[0-9a-f]{32}$/.test(hex)) return hex;
  }
  return '0'.repeat(32);
}

function span(row: SpanRowV2, traceId: string): Obj {
  const doc = parseJson(row.content);
  const d = isObject(doc) ? doc : {};
  const attributes: Obj = {};
  // MLflow 2 keeps every attribute value JSON-encoded; OTLP senders write plain values.
  for (const [k, v] of Object.entries(isObject(d.attributes) ? d.attributes : {}))
    attributes[k] = stringifyJson(decodeAttribute(v));
  attributes[REQUEST_ID] ??= JSON.stringify(traceId);
  const status = isObject(d.status) ? d.status : {};
  const events = Array.isArray(d.events) ? d.events.filter(isObject) : [];
  return {
    name: row.name ?? '',
    context: { span_id: `0x${row.span_id}`, trace_id: `0x${otelTraceId(d, traceId)}` },
    parent_id: row.parent_span_id === null ? null : `0x${row.parent_span_id}`,
    start_time: row.start_ns === null ? null : new Digits(row.start_ns),
    end_time: row.end_ns === null ? null : new Digits(row.end_ns),
    status_code: row.status !== null && STATUS_CODES.has(row.status) ? row.status : 'UNSET',
    status_message: typeof status.message === 'string' ? status.message : '',
    attributes,
    events: events.map((e) => ({
      name: typeof e.name === 'string' ? e.name : '',
      timestamp: nanos(e.time_unix_nano ?? e.timestamp),
      attributes: isObject(e.attributes) ? e.attributes : {},
    })),
  };
}

/** `{spans, request, response}` as MLflow 2 writes it; request/response are the root span's inputs/outputs. */
export function traceDataV2Json(traceId: string, rows: SpanRowV2[]): string {
  const spans = rows.map((r) => span(r, traceId));
  const root = spans.find((s) => s.parent_id === null)?.attributes as Obj | undefined;
  const io = (key: string) => (typeof root?.[key] === 'string' ? (root[key] as string) : null);
  return toText({ spans, request: io('mlflow.spanInputs'), response: io('mlflow.spanOutputs') });
}
