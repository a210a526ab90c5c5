import { invalidParam, parseJson, stringifyJson } from '@trove/protocol';

/**
 * Span data as the two MLflow generations write it, reduced to the columns Trove stores beside
 * the span's own JSON text.
 *
 * - MLflow 2 (`spans_format = 'mlflow-v2'`): `traces.json` is `{spans, request, response}`; a span
 *   is `{name, context: {span_id: "0x…", trace_id}, parent_id, start_time, end_time (ns),
 *   status_code, status_message, attributes, events}`, attribute values JSON-encoded.
 * - OpenTelemetry (`'otel'`): MLflow 3's span dict and OTLP spans: `{trace_id, span_id,
 *   parent_span_id, name, start_time_unix_nano, end_time_unix_nano, status: {code, message},
 *   attributes, events}`.
 */
export type SpansFormat = 'mlflow-v2' | 'otel';

export interface StoredSpan {
  span_id: string;
  parent_span_id: string | null;
  name: string | null;
  span_type: string | null;
  status: string | null;
  start_time_ns: bigint | null;
  end_time_ns: bigint | null;
  content: string;
}

export interface ParsedTraceData {
  spans: StoredSpan[];
  /** JSON text of the top-level `request` / `response` of a V2 `traces.json`. */
  request: string | null;
  response: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toNs(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return null;
}

/** `0x00ab…`, base64 or plain hex ids all become lower-case hex without a prefix. */
export function normalizeSpanId(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  if (/^0x[0-9a-fA-F]+$/.test(v)) return v.slice(2).toLowerCase();
  if (/^[0-9a-fA-F]{16}$|^[0-9a-fA-F]{32}$/.test(v)) return v.toLowerCase();
  const bytes = Buffer.from(v, 'base64');
  return bytes.length === 8 || bytes.length === 16 ? bytes.toString('hex') : v;
}

/** An attribute value as MLflow writes it: JSON text; anything else is taken as it is. */
export function decodeAttribute(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function spanType(attributes: unknown): string | null {
  if (!isObject(attributes)) return null;
  const t = decodeAttribute(attributes['mlflow.spanType']);
  return typeof t === 'string' ? t : null;
}

function v2Span(s: Record<string, unknown>): StoredSpan {
  const context = isObject(s.context) ? s.context : {};
  const spanId = normalizeSpanId(context.span_id);
  if (spanId === null) throw invalidParam('Every span needs context.span_id.');
  return {
    span_id: spanId,
    parent_span_id: normalizeSpanId(s.parent_id),
    name: s.name === null || s.name === undefined ? null : String(s.name),
    span_type: spanType(s.attributes),
    status: typeof s.status_code === 'string' ? s.status_code : null,
    start_time_ns: toNs(s.start_time),
    end_time_ns: toNs(s.end_time),
    content: stringifyJson(s),
  };
}

const OTEL_STATUS: Record<string, string> = {
  STATUS_CODE_UNSET: 'UNSET',
  STATUS_CODE_OK: 'OK',
  STATUS_CODE_ERROR: 'ERROR',
  '0': 'UNSET',
  '1': 'OK',
  '2': 'ERROR',
};

function otelStatus(status: unknown): string | null {
  if (!isObject(status)) return null;
  const code = String(status.code ?? '');
  return OTEL_STATUS[code] ?? (code === '' ? null : code);
}

/** An OTel-shaped span (MLflow 3's dict, or an OTLP span already turned into JSON). */
export function otelSpan(s: Record<string, unknown>): StoredSpan {
  const spanId = normalizeSpanId(s.span_id);
  if (spanId === null) throw invalidParam('Every span needs a span_id.');
  return {
    span_id: spanId,
    parent_span_id: normalizeSpanId(s.parent_span_id),
    name: typeof s.name === 'string' ? s.name : null,
    span_type: spanType(s.attributes),
    status: otelStatus(s.status),
    start_time_ns: toNs(s.start_time_unix_nano),
    end_time_ns: toNs(s.end_time_unix_nano),
    content: stringifyJson(s),
  };
}

/** Parses a `traces.json` document (either generation); throws INVALID_PARAMETER_VALUE when it is not one. */
export function parseTraceData(text: string): { format: SpansFormat; data: ParsedTraceData } {
  let doc: unknown;
  try {
    doc = parseJson(text);
  } catch {
    throw invalidParam('Trace data is not JSON.');
  }
  if (!isObject(doc) || !Array.isArray(doc.spans)) throw invalidParam("Trace data needs a 'spans' list.");
  const spans = doc.spans.filter(isObject);
  const format: SpansFormat = spans.some((s) => isObject(s.context)) ? 'mlflow-v2' : 'otel';
  return {
    format,
    data: {
      spans: spans.map((s) => (format === 'mlflow-v2' ? v2Span(s) : otelSpan(s))),
      request: doc.request === undefined ? null : stringifyJson(doc.request),
      response: doc.response === undefined ? null : stringifyJson(doc.response),
    },
  };
}

/** The `traces.json` text MLflow 2's client reads back, rebuilt from stored spans. */
export function traceDataJson(spans: { content: string }[], request: string | null, response: string | null): string {
  return `{"spans":[${spans.map((s) => s.content).join(',')}],"request":${request ?? 'null'},"response":${response ?? 'null'}}`;
}
