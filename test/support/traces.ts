import type { TestServer } from './server.ts';

/**
 * Traces seeded the way MLflow 2's client writes them: V2 StartTrace, the span data PUT as
 * `traces.json` through the artifact proxy, then EndTrace with the previews and token usage.
 */
export interface SpanSpec {
  id: string;
  parent?: string;
  name: string;
  type?: string;
  /** Offsets from the trace's start, in ms. */
  startMs: number;
  endMs: number;
  status?: 'OK' | 'ERROR';
  statusMessage?: string;
  inputs?: unknown;
  outputs?: unknown;
  attributes?: Record<string, unknown>;
  events?: { name: string; atMs: number; attributes: Record<string, unknown> }[];
}

export interface TraceSpec {
  experimentId: string;
  name: string;
  timestampMs: number;
  durationMs: number;
  state?: 'OK' | 'ERROR';
  request?: string;
  response?: string;
  tags?: Record<string, string>;
  runId?: string;
  tokens?: { input_tokens: number; output_tokens: number; total_tokens: number };
  spans: SpanSpec[];
}

/** A 16-hex-digit span id from a short name (`s1` → `0000000000007331`). */
export const spanHex = (id: string) => Buffer.from(id).toString('hex').padStart(16, '0').slice(-16);

const NS_PER_MS = 1_000_000n;

/** MLflow 2's span dict, attribute values JSON-encoded as its client writes them. */
function v2Span(traceId: string, t0: number, s: SpanSpec) {
  const ns = (ms: number) => (BigInt(t0) * NS_PER_MS + BigInt(Math.round(ms * 1e6))).toString();
  const attributes: Record<string, string> = { 'mlflow.traceRequestId': JSON.stringify(traceId) };
  if (s.type) attributes['mlflow.spanType'] = JSON.stringify(s.type);
  if (s.inputs !== undefined) attributes['mlflow.spanInputs'] = JSON.stringify(s.inputs);
  if (s.outputs !== undefined) attributes['mlflow.spanOutputs'] = JSON.stringify(s.outputs);
  for (const [k, v] of Object.entries(s.attributes ?? {})) attributes[k] = JSON.stringify(v);
  // Raw ns integers (beyond 2^53) are spliced into the JSON text below, as Python writes them.
  return {
    name: s.name,
    context: { span_id: `0x${spanHex(s.id)}`, trace_id: `0x${traceId}` },
    parent_id: s.parent ? `0x${spanHex(s.parent)}` : null,
    start_time: `@@${ns(s.startMs)}@@`,
    end_time: `@@${ns(s.endMs)}@@`,
    status_code: s.status ?? 'OK',
    status_message: s.statusMessage ?? '',
    attributes,
    events: (s.events ?? []).map((e) => ({
      name: e.name,
      timestamp: `@@${ns(e.atMs)}@@`,
      attributes: Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, JSON.stringify(v)])),
    })),
  };
}

export function traceJson(traceId: string, spec: TraceSpec): string {
  const doc = {
    spans: spec.spans.map((s) => v2Span(traceId, spec.timestampMs, s)),
    request: spec.request ?? null,
    response: spec.response ?? null,
  };
  return JSON.stringify(doc).replace(/"@@(\d+)@@"/g, '$1');
}

async function ok(server: TestServer, method: string, path: string, body?: unknown, prefix = '') {
  const res = await server.call(method, prefix + path, body);
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates one trace with its spans; returns its id. `ws` picks a workspace other than default. */
export async function seedTrace(server: TestServer, spec: TraceSpec, ws?: string): Promise<string> {
  const prefix = ws ? `/w/${ws}` : '';
  const m = `${prefix}/api/2.0/mlflow`;
  const kv = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));
  const started = await ok(server, 'POST', `${m}/traces`, {
    experiment_id: spec.experimentId,
    timestamp_ms: spec.timestampMs,
    tags: kv({ 'mlflow.traceName': spec.name, ...spec.tags }),
    request_metadata: kv(spec.runId ? { 'mlflow.sourceRun': spec.runId } : {}),
  });
  const traceId: string = started.trace_info.request_id;
  const put = await fetch(
    `${server.url}${prefix}/api/2.0/mlflow-artifacts/artifacts/${spec.experimentId}/traces/${traceId}/artifacts/traces.json`,
    { method: 'PUT', body: traceJson(traceId, spec), headers: { 'content-type': 'application/json' } },
  );
  if (put.status !== 200) throw new Error(`PUT traces.json → ${put.status} ${await put.text()}`);
  const metadata: Record<string, string> = {};
  if (spec.request !== undefined) metadata['mlflow.traceInputs'] = spec.request;
  if (spec.response !== undefined) metadata['mlflow.traceOutputs'] = spec.response;
  if (spec.tokens) metadata['mlflow.trace.tokenUsage'] = JSON.stringify(spec.tokens);
  await ok(server, 'PATCH', `${m}/traces/${traceId}`, {
    request_id: traceId,
    timestamp_ms: spec.timestampMs + spec.durationMs,
    status: spec.state ?? 'OK',
    request_metadata: kv(metadata),
  });
  return traceId;
}

/** A chain of `n` spans under one root: a wide, deep trace for the viewer's volume checks. */
export function manySpans(n: number, spanMs = 1): SpanSpec[] {
  const spans: SpanSpec[] = [{ id: 'root', name: 'root', type: 'CHAIN', startMs: 0, endMs: n * spanMs + 1 }];
  for (let i = 1; i < n; i++) {
    // Groups of 10 under a step span, so the tree has depth and folds.
    const group = Math.floor((i - 1) / 10);
    const isStep = (i - 1) % 10 === 0;
    spans.push({
      id: isStep ? `g${group}` : `s${i}`,
      parent: isStep ? 'root' : `g${group}`,
      name: isStep ? `step-${group}` : `call-${i}`,
      type: isStep ? 'CHAIN' : 'TOOL',
      startMs: i * spanMs,
      endMs: isStep ? (i + 10) * spanMs : (i + 0.5) * spanMs,
      inputs: { i },
    });
  }
  return spans;
}
