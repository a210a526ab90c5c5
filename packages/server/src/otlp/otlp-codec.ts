import { parseJson, TroveError } from '@trove/protocol';
import protobuf from 'protobufjs';
import descriptor from './trace-service.descriptor.json' with { type: 'json' };

/**
 * OTLP/HTTP trace requests and responses, through the OpenTelemetry project's own definitions
 * (opentelemetry-proto, vendored under `proto/`, loaded by protobufjs). Both encodings decode to
 * the same protobufjs messages: camelCase fields, ids as bytes, 64-bit integers as `Long` (read
 * them with {@link int64}).
 */
export type OtlpEncoding = 'protobuf' | 'json';

/** A 64-bit integer as protobufjs gives it: a `Long` ({low, high}), or a number or string (JSON). */
export type Int64 = { low: number; high: number } | number | string;

/** The exact value of a 64-bit field; `signed` for int64, unsigned for fixed64. */
export function int64(v: Int64 | null | undefined, signed = false): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number' || typeof v === 'string') return BigInt(v);
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return signed ? BigInt.asIntN(64, bits) : bits;
}

export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: Uint8Array;
}

export interface OtlpSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  traceState?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Int64;
  endTimeUnixNano?: Int64;
  attributes?: OtlpKeyValue[];
  events?: { timeUnixNano?: Int64; name?: string; attributes?: OtlpKeyValue[] }[];
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; attributes?: OtlpKeyValue[] }[];
  status?: { message?: string; code?: number };
}

export interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }[];
  }[];
}

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const REQUEST = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const RESPONSE = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

const MEDIA: Record<string, OtlpEncoding> = { 'application/x-protobuf': 'protobuf', 'application/json': 'json' };

/** The encoding a Content-Type names (parameters such as `charset` ignored), or undefined. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  return MEDIA[(contentType ?? '').split(';')[0].trim().toLowerCase()];
}

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

const malformed = (why: string) => new TroveError('MALFORMED_REQUEST', `Invalid OTLP trace export request: ${why}`);

/** Decodes an ExportTraceServiceRequest; a body that is not one answers MALFORMED_REQUEST (400). */
export function decodeExportRequest(body: Buffer, encoding: OtlpEncoding): ExportTraceServiceRequest {
  try {
    const message = encoding === 'protobuf' ? REQUEST.decode(body) : REQUEST.fromObject(jsonRequest(body));
    return message as ExportTraceServiceRequest;
  } catch (e) {
    if (e instanceof TroveError) throw e;
    throw malformed(e instanceof Error ? e.message : String(e));
  }
}

/**
 * OTLP/JSON differs from protobuf's JSON mapping in one way that matters here: trace and span
 * ids are hex, not base64. Ids are turned into bytes (base64 is still taken from senders that
 * use it), and integers too large for a double, which {@link parseJson} keeps as bigint, into
 * the decimal strings protobufjs reads for 64-bit fields.
 */
function jsonRequest(body: Buffer): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseJson(body.toString('utf8'));
  } catch {
    throw malformed('the body is not JSON.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('the body is not a JSON object.');
  return normalizeJson(doc) as Record<string, unknown>;
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function normalizeJson(v: unknown, key?: string): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' && key !== undefined && ID_FIELDS.has(key) && HEX.test(v)) return Buffer.from(v, 'hex');
  if (Array.isArray(v)) return v.map((item) => normalizeJson(item));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = normalizeJson(item, k);
    return out;
  }
  return v;
}

/** ExportTraceServiceResponse in the request's encoding; `partial_success` only when spans were rejected. */
export function encodeExportResponse(
  rejected: { count: number; message: string } | undefined,
  encoding: OtlpEncoding,
): Buffer | string {
  const body = rejected
    ? { partialSuccess: { rejectedSpans: String(rejected.count), errorMessage: rejected.message } }
    : {};
  if (encoding === 'json') return JSON.stringify(body);
  return Buffer.from(RESPONSE.encode(RESPONSE.fromObject(body)).finish());
}
