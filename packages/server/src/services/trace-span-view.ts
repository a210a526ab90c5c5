import type { TraceViews } from '@trove/protocol';
import type { TraceSpanExactRow, TraceSpanOutlineRow } from '@trove/store';

import { decodeAttribute } from './trace-data.ts';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const INPUTS = 'mlflow.spanInputs';
const OUTPUTS = 'mlflow.spanOutputs';
/** Event times exceed 2^53 ns: quoted before parsing so they keep every digit. */
const EVENT_TIME = /"(timestamp|time_unix_nano)"\s*:\s*(\d{16,})/g;

/** An OTLP AnyValue (`{stringValue}`, `{intValue}`, `{arrayValue: {values}}`, …) as a plain value. */
function anyValue(v: unknown): unknown {
  if (!isObject(v)) return v;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return typeof v.intValue === 'string' ? Number(v.intValue) : v.intValue;
  if ('doubleValue' in v) return v.doubleValue;
  if ('bytesValue' in v) return v.bytesValue;
  if (isObject(v.arrayValue)) return Array.isArray(v.arrayValue.values) ? v.arrayValue.values.map(anyValue) : [];
  if (isObject(v.kvlistValue)) return keyValues(v.kvlistValue.values);
  return v;
}

/** OTLP's `[{key, value: AnyValue}]` list as an object. */
function keyValues(list: unknown): Obj {
  const out: Obj = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

/** Attributes as MLflow (an object of JSON texts) or OTLP (a key/value list) writes them, decoded. */
function attributesOf(raw: unknown): Obj {
  const plain = Array.isArray(raw) ? keyValues(raw) : isObject(raw) ? raw : {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(plain)) out[k] = decodeAttribute(v);
  return out;
}

function eventsOf(raw: unknown): TraceViews.SpanEvent[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((e) => {
    const t = e.timestamp ?? e.time_unix_nano ?? e.timeUnixNano;
    return {
      name: typeof e.name === 'string' ? e.name : '',
      timestamp_ns: t === undefined || t === null ? null : String(t),
      attributes: attributesOf(e.attributes),
    };
  });
}

function statusMessage(doc: Obj): string | null {
  if (typeof doc.status_message === 'string' && doc.status_message !== '') return doc.status_message;
  const status = doc.status;
  if (isObject(status) && typeof status.message === 'string' && status.message !== '') return status.message;
  return null;
}

/**
 * A stored span as the trace page shows it: the row's columns plus what only the span's own JSON
 * holds (inputs, outputs, attributes, events, status message), in either stored format.
 */
export function spanView(row: TraceSpanExactRow): TraceViews.TraceSpan {
  let doc: Obj = {};
  try {
    const text = row.content.includes('"events":[{') ? row.content.replace(EVENT_TIME, '"$1":"$2"') : row.content;
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) doc = parsed;
  } catch {
    // Stored content is JSON the server wrote; a broken row still shows its columns.
  }
  const { [INPUTS]: inputs, [OUTPUTS]: outputs, ...attributes } = attributesOf(doc.attributes);
  return {
    span_id: row.span_id,
    parent_span_id: row.parent_span_id,
    name: row.name ?? '',
    span_type: row.span_type,
    start_ns: row.start_ns,
    end_ns: row.end_ns,
    status: row.status,
    status_message: statusMessage(doc),
    inputs: inputs ?? null,
    outputs: outputs ?? null,
    attributes,
    events: eventsOf(doc.events),
  };
}

/** The tree and timing fields only, straight from the row's columns. */
export function spanOutline(row: TraceSpanOutlineRow): TraceViews.TraceSpanOutline {
  return {
    span_id: row.span_id,
    parent_span_id: row.parent_span_id,
    name: row.name ?? '',
    span_type: row.span_type,
    start_ns: row.start_ns,
    end_ns: row.end_ns,
    status: row.status,
  };
}
