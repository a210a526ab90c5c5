import { invalidParam, parseJson } from '@trove/protocol';
import { decodeAttribute, normalizeSpanId } from './trace-data.ts';

/**
 * MLflow 3's wire forms for traces: protobuf Timestamp and Duration JSON strings, and spans as
 * OpenTelemetry `Span` messages in protobuf JSON (what GetTrace and BatchGetTraces answer, and
 * what the 3.x client turns back into spans with `Span.from_otel_proto`).
 */

/** `2025-04-15T08:49:18.699Z`. */
export function timestampOf(ms: number): string {
  return new Date(ms).toISOString();
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** A protobuf Timestamp JSON string in milliseconds (sub-millisecond digits dropped). */
export function timestampToMs(text: unknown, field: string): number {
  const m = typeof text === 'string' ? RFC3339.exec(text) : null;
  const ms = m ? Date.parse(`${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}${m[3]}`) : Number.NaN;
  if (!Number.isFinite(ms))
    throw invalidParam(`Invalid value ${JSON.stringify(text)} for '${field}': not a timestamp.`);
  return ms;
}

/** `1.500s`, or `2s` for whole seconds (as protobuf writes them). */
export function durationOf(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;

export function durationToMs(text: unknown, field: string): number {
  const m = typeof text === 'string' ? DURATION.exec(text) : null;
  if (!m) throw invalidParam(`Invalid value ${JSON.stringify(text)} for '${field}': not a duration like "1.5s".`);
  const ms = Number(m[2]) * 1000 + Number((m[3] ?? '').padEnd(3, '0').slice(0, 3));
  return m[1] ? -ms : ms;
}

type AnyValue = Record<string, unknown>;

/** A decoded attribute value as an OTLP AnyValue. */
export function anyValue(v: unknown): AnyValue {
  if (v === null || v === undefined) return {};
  if (typeof v === 'string') return { string_value: v };
  if (typeof v === 'boolean') return { bool_value: v };
  if (typeof v === 'bigint') return { int_value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { int_value: v } : { double_value: v };
  if (Array.isArray(v)) return { array_value: { values: v.map(anyValue) } };
  if (typeof v === 'object') return { kvlist_value: { values: keyValues(v as Record<string, unknown>, false) } };
  return { string_value: String(v) };
}

/** Span attributes are JSON text in MLflow's span dicts; event attributes are plain values. */
function keyValues(attrs: unknown, decode: boolean): { key: string; value: AnyValue }[] {
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) return [];
  return Object.entries(attrs as Record<string, unknown>).map(([key, v]) => ({
    key,
    value: anyValue(decode ? decodeAttribute(v) : v),
  }));
}

function base64Id(id: string | null, bytes: number): string | undefined {
  if (id === null || !new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(id)) return undefined;
  return Buffer.from(id, 'hex').toString('base64');
}

const STATUS: Record<string, string> = {
  OK: 'STATUS_CODE_OK',
  ERROR: 'STATUS_CODE_ERROR',
  UNSET: 'STATUS_CODE_UNSET',
  STATUS_CODE_OK: 'STATUS_CODE_OK',
  STATUS_CODE_ERROR: 'STATUS_CODE_ERROR',
  STATUS_CODE_UNSET: 'STATUS_CODE_UNSET',
  '0': 'STATUS_CODE_UNSET',
  '1': 'STATUS_CODE_OK',
  '2': 'STATUS_CODE_ERROR',
};

function nanos(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return undefined;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * A stored span (its JSON text as received: MLflow 2's dict with `context`, MLflow 3's span dict,
 * or a span OTLP ingest stored, which names its `otel_trace_id` and keeps attribute values plain
 * rather than JSON-encoded) as an OTLP `Span` in protobuf JSON. `traceHex` is the trace's OTel id
 * when the span does not carry one.
 */
export function otlpSpanJson(content: string, traceHex: string | undefined): Record<string, unknown> {
  const s = obj(parseJson(content));
  const v2 = 'context' in s;
  const ctx = obj(s.context);
  const ingested = typeof s.otel_trace_id === 'string';
  const ownId = ingested ? s.otel_trace_id : v2 ? ctx.trace_id : s.trace_id;
  const traceId =
    (typeof ownId === 'string' && ownId.startsWith('tr-') ? otelTraceHex(ownId) : normalizeSpanId(ownId)) ??
    traceHex ??
    null;
  const status = v2 ? { code: s.status_code, message: s.status_message } : obj(s.status);
  const code = STATUS[String(status.code ?? '')];
  const events = Array.isArray(s.events) ? s.events.map(obj) : [];
  const out: Record<string, unknown> = {
    trace_id: base64Id(traceId, 16),
    span_id: base64Id(normalizeSpanId(v2 ? ctx.span_id : s.span_id), 8),
    parent_span_id: base64Id(normalizeSpanId(v2 ? s.parent_id : s.parent_span_id), 8),
    name: typeof s.name === 'string' ? s.name : '',
    start_time_unix_nano: nanos(v2 ? s.start_time : s.start_time_unix_nano),
    end_time_unix_nano: nanos(v2 ? s.end_time : s.end_time_unix_nano),
    attributes: keyValues(s.attributes, !ingested),
    events: events.map((e) => ({
      time_unix_nano: nanos(v2 ? e.timestamp : e.time_unix_nano),
      name: typeof e.name === 'string' ? e.name : '',
      attributes: keyValues(e.attributes, false),
    })),
    status: {
      ...(code === undefined ? {} : { code }),
      ...(typeof status.message === 'string' && status.message !== '' ? { message: status.message } : {}),
    },
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** The OTel trace id behind an MLflow trace id (`tr-<32 hex>`, or V2's bare 32 hex digits). */
export function otelTraceHex(traceId: string): string | undefined {
  const hex = traceId.startsWith('tr-') ? traceId.slice(3) : traceId;
  return /^[0-9a-f]{32}$/.test(hex) ? hex : undefined;
}
