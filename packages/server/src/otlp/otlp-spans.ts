import { stringifyJson } from '@trove/protocol';
import { decodeAttribute, type StoredSpan } from '../services/trace-data.ts';
import {
  type ExportTraceServiceRequest,
  int64,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpSpan,
} from './otlp-codec.ts';

/** An OTLP span as Trove keeps it: the MLflow trace it belongs to, its row, and what the trace learns from it. */
export interface IngestSpan {
  /** MLflow's trace id: `tr-<otel trace id>`, or the one `mlflow.traceRequestId` names. */
  traceId: string;
  row: StoredSpan;
  isRoot: boolean;
  attributes: Record<string, unknown>;
}

export interface RejectedSpan {
  reason: string;
}

/** The MLflow attribute that names a span's trace when an MLflow client sent it. */
export const TRACE_REQUEST_ID = 'mlflow.traceRequestId';
const MAX_TRACE_ID = 128;

const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const STATUS = ['UNSET', 'OK', 'ERROR'];

/** Every span of an export request, in MLflow 3's span dict form, or the reason it cannot be kept. */
export function readSpans(request: ExportTraceServiceRequest): { spans: IngestSpan[]; rejected: RejectedSpan[] } {
  const spans: IngestSpan[] = [];
  const rejected: RejectedSpan[] = [];
  for (const rs of request.resourceSpans ?? [])
    for (const ss of rs.scopeSpans ?? [])
      for (const span of ss.spans ?? []) {
        const read = readSpan(span);
        if ('reason' in read) rejected.push(read);
        else spans.push(read);
      }
  return { spans, rejected };
}

function readSpan(span: OtlpSpan): IngestSpan | RejectedSpan {
  const otelTraceId = hexId(span.traceId, 16);
  const spanId = hexId(span.spanId, 8);
  if (otelTraceId === undefined) return { reason: `span '${span.name ?? ''}' has no valid 16-byte trace id` };
  if (spanId === undefined) return { reason: `span '${span.name ?? ''}' has no valid 8-byte span id` };
  const parentSpanId = span.parentSpanId && span.parentSpanId.length > 0 ? hexId(span.parentSpanId, 8) : null;
  if (parentSpanId === undefined) return { reason: `span ${spanId} has an invalid parent span id` };
  // PostgreSQL cannot store NUL in text; inside the JSON content it is escaped, in the name column it is not.
  if (span.name?.includes('\0')) return { reason: `span ${spanId} has a NUL character in its name` };
  const attributes = attributeMap(span.attributes);
  const traceId = mlflowTraceId(attributes[TRACE_REQUEST_ID]) ?? `tr-${otelTraceId}`;
  if (!(TRACE_REQUEST_ID in attributes)) attributes[TRACE_REQUEST_ID] = JSON.stringify(traceId);
  const start = int64(span.startTimeUnixNano);
  const endNs = int64(span.endTimeUnixNano);
  const end = endNs === 0n ? null : endNs;
  const code = span.status?.code ?? 0;
  const links = span.links?.length
    ? span.links.map((l) => ({
        trace_id: `tr-${hexId(l.traceId, 16) ?? ''}`,
        span_id: hexId(l.spanId, 8) ?? '',
        attributes: attributeMap(l.attributes),
      }))
    : undefined;
  const spanType = decodeAttribute(attributes['mlflow.spanType']);
  return {
    traceId,
    isRoot: parentSpanId === null,
    attributes,
    row: {
      span_id: spanId,
      parent_span_id: parentSpanId,
      name: span.name ?? '',
      span_type: typeof spanType === 'string' && !spanType.includes('\0') ? spanType : null,
      status: STATUS[code] ?? 'UNSET',
      start_time_ns: start,
      end_time_ns: end,
      content: spanDictJson({ traceId, spanId, parentSpanId, otelTraceId, span, start, end, attributes, links }),
    },
  };
}

/**
 * MLflow 3's span dict (`Span.to_dict`), the form its clients read back, as JSON text written
 * here: nanosecond times are exact integers beyond a double's precision.
 */
function spanDictJson(s: {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  otelTraceId: string;
  span: OtlpSpan;
  start: bigint;
  end: bigint | null;
  attributes: Record<string, unknown>;
  links: unknown[] | undefined;
}): string {
  const head = JSON.stringify({
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId,
    name: s.span.name ?? '',
  });
  const events = (s.span.events ?? []).map(
    (e) =>
      `{"name":${JSON.stringify(e.name ?? '')},"time_unix_nano":${int64(e.timeUnixNano)},"attributes":${stringifyJson(attributeMap(e.attributes))}}`,
  );
  const status = JSON.stringify({
    code: STATUS_CODES[s.span.status?.code ?? 0] ?? 'STATUS_CODE_UNSET',
    message: s.span.status?.message ?? '',
  });
  return (
    `${head.slice(0, -1)},"start_time_unix_nano":${s.start},"end_time_unix_nano":${s.end ?? 'null'},` +
    `"events":[${events.join(',')}],"status":${status},"attributes":${stringifyJson(s.attributes)},` +
    `${s.links ? `"links":${stringifyJson(s.links)},` : ''}"otel_trace_id":"${s.otelTraceId}"}`
  );
}

/** Lower-case hex of an id of exactly `bytes` bytes that are not all zero. */
function hexId(id: Uint8Array | undefined, bytes: number): string | undefined {
  if (!id || id.length !== bytes || id.every((b) => b === 0)) return undefined;
  return Buffer.from(id.buffer, id.byteOffset, id.length).toString('hex');
}

/** MLflow writes its attributes JSON-encoded (`"\"tr-…\""`); other senders write the plain string. */
function mlflowTraceId(v: unknown): string | undefined {
  let id = v;
  if (typeof id === 'string' && id.startsWith('"')) {
    try {
      id = JSON.parse(id);
    } catch {
      return undefined;
    }
  }
  return typeof id === 'string' && id !== '' && id.length <= MAX_TRACE_ID ? id : undefined;
}

function attributeMap(kvs: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) if (kv.key !== undefined) out[kv.key] = anyValue(kv.value);
  return out;
}

const has = (v: object, field: string) => Object.hasOwn(v, field);

/**
 * An AnyValue as a JSON value: 64-bit integers beyond a double's precision stay exact (bigint),
 * bytes base64. The set field is the message's own property (protobufjs keeps defaults on the
 * prototype), found without its `value` getter, which lists every key on each call.
 */
function anyValue(v: OtlpAnyValue | undefined | null): unknown {
  if (!v) return null;
  if (has(v, 'stringValue')) return v.stringValue ?? '';
  if (has(v, 'intValue')) {
    const n = int64(v.intValue, true);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (has(v, 'boolValue')) return v.boolValue ?? false;
  if (has(v, 'doubleValue')) return v.doubleValue ?? 0;
  if (has(v, 'arrayValue')) return (v.arrayValue?.values ?? []).map(anyValue);
  if (has(v, 'kvlistValue')) return attributeMap(v.kvlistValue?.values);
  if (has(v, 'bytesValue')) return Buffer.from(v.bytesValue ?? []).toString('base64');
  return null;
}
