import { otelSpan, type StoredSpan } from '../services/trace-data.ts';
import type { ExportTraceServiceRequest, OtlpAnyValue, OtlpKeyValue, OtlpSpan } from './otlp-codec.ts';

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
  const attributes = attributeMap(span.attributes);
  const traceId = mlflowTraceId(attributes[TRACE_REQUEST_ID]) ?? `tr-${otelTraceId}`;
  if (!(TRACE_REQUEST_ID in attributes)) attributes[TRACE_REQUEST_ID] = JSON.stringify(traceId);
  const end = span.endTimeUnixNano ? BigInt(span.endTimeUnixNano) : null;
  // MLflow 3's span dict (`Span.to_dict`), the form its clients read back.
  const dict = {
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: parentSpanId,
    name: span.name ?? '',
    start_time_unix_nano: BigInt(span.startTimeUnixNano ?? '0'),
    end_time_unix_nano: end === 0n ? null : end,
    events: (span.events ?? []).map((e) => ({
      name: e.name ?? '',
      time_unix_nano: BigInt(e.timeUnixNano ?? '0'),
      attributes: attributeMap(e.attributes),
    })),
    status: { code: STATUS_CODES[span.status?.code ?? 0] ?? 'STATUS_CODE_UNSET', message: span.status?.message ?? '' },
    attributes,
    ...(span.links?.length
      ? {
          links: span.links.map((l) => ({
            trace_id: `tr-${hexId(l.traceId, 16) ?? ''}`,
            span_id: hexId(l.spanId, 8) ?? '',
            attributes: attributeMap(l.attributes),
          })),
        }
      : {}),
    otel_trace_id: otelTraceId,
  };
  return { traceId, row: otelSpan(dict), isRoot: parentSpanId === null, attributes };
}

/** Lower-case hex of an id of exactly `bytes` bytes that are not all zero. */
function hexId(id: Uint8Array | undefined, bytes: number): string | undefined {
  if (!id || id.length !== bytes) return undefined;
  const hex = Buffer.from(id).toString('hex');
  return /^0+$/.test(hex) ? undefined : hex;
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

/** An AnyValue as a JSON value: 64-bit integers beyond a double's precision stay exact (bigint), bytes base64. */
function anyValue(v: OtlpAnyValue | undefined): unknown {
  switch (v?.value) {
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'intValue': {
      const n = BigInt(v.intValue ?? '0');
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'doubleValue':
      return v.doubleValue ?? 0;
    case 'arrayValue':
      return (v.arrayValue?.values ?? []).map(anyValue);
    case 'kvlistValue':
      return attributeMap(v.kvlistValue?.values);
    case 'bytesValue':
      return Buffer.from(v.bytesValue ?? []).toString('base64');
    default:
      return null;
  }
}
