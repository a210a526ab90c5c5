import { gzipSync } from 'node:zlib';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { parseJson } from '@trove/protocol';
import { findTrace } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let exp: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  exp = await api.createExperiment('otlp');
});
afterAll(() => server.close());

/** Spans made by the real OTel SDK, kept in memory until a test exports them. */
function recordSpans(make: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  make(provider.getTracer('trove-test', '1.0.0'));
  return memory.getFinishedSpans();
}

/** A chat agent: root → retrieve, root → chat (GenAI conventions) → tool that fails. */
function agentTrace(tracer: ReturnType<BasicTracerProvider['getTracer']>): void {
  const root = tracer.startSpan('agent', {
    attributes: {
      'mlflow.spanType': JSON.stringify('AGENT'),
      'mlflow.spanInputs': JSON.stringify({ question: 'What is Trove?' }),
      'mlflow.spanOutputs': JSON.stringify({ answer: 'A model store.' }),
      'app.user': 'alice',
    },
  });
  const inRoot = trace.setSpan(context.active(), root);
  const retrieve = tracer.startSpan(
    'retrieve',
    { attributes: { 'retrieval.top_k': 3, 'retrieval.ids': ['a', 'b'] } },
    inRoot,
  );
  retrieve.addEvent('cache miss', { 'cache.key': 'q1' });
  retrieve.end();
  const chat = tracer.startSpan(
    'chat gpt-test',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-test',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', content: 'What is Trove?' }]),
      },
    },
    inRoot,
  );
  const tool = tracer.startSpan('lookup tool', {}, trace.setSpan(inRoot, chat));
  tool.recordException(new Error('tool exploded'));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'tool exploded' });
  tool.end();
  chat.setStatus({ code: SpanStatusCode.OK });
  chat.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
}

const hex = (s: ReadableSpan) => s.spanContext();
const nanos = ([sec, ns]: [number, number]) => BigInt(sec) * 1_000_000_000n + BigInt(ns);
const url = (ws?: string) => `${server.url}${ws ? `/w/${ws}` : ''}/v1/traces`;

function exportWith(exporter: ProtoExporter | HttpJsonExporter, spans: ReadableSpan[]) {
  return new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
}

async function traceJson(traceId: string): Promise<{ spans: Record<string, any>[] }> {
  const res = await fetch(`${server.url}/api/2.0/mlflow/get-trace-artifact?request_id=${traceId}`);
  expect(res.status).toBe(200);
  return parseJson(await res.text()) as { spans: Record<string, any>[] };
}

async function post(body: Uint8Array | string, headers: Record<string, string>, ws?: string) {
  return fetch(url(ws), { method: 'POST', body: typeof body === 'string' ? body : Buffer.from(body), headers });
}

describe('OTLP ingest: POST /v1/traces', () => {
  it('stores nested spans the OTel JS SDK exports over protobuf (gzip), read back through MLflow V2', async () => {
    const spans = recordSpans(agentTrace);
    const exporter = new ProtoExporter({
      url: url(),
      headers: { 'x-mlflow-experiment-id': exp },
      compression: 'gzip' as never,
    });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);

    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get('agent') as ReadableSpan;
    const traceId = `tr-${hex(root).traceId}`;
    const info = (await api.ok('GET', `/traces/${traceId}/info`)).trace_info;
    expect(info).toMatchObject({
      request_id: traceId,
      experiment_id: exp,
      timestamp_ms: Number(nanos(root.startTime) / 1_000_000n),
      execution_time_ms: Number((nanos(root.endTime) - nanos(root.startTime)) / 1_000_000n),
      status: 'OK',
    });
    const tags = Object.fromEntries(info.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(tags['mlflow.traceName']).toBe('agent');
    expect(tags['mlflow.trace.spansLocation']).toBe('TRACKING_STORE');
    const meta = Object.fromEntries(info.request_metadata.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(JSON.parse(meta['mlflow.traceInputs'])).toEqual({ question: 'What is Trove?' });
    expect(JSON.parse(meta['mlflow.traceOutputs'])).toEqual({ answer: 'A model store.' });
    expect(JSON.parse(meta['mlflow.trace.tokenUsage'])).toEqual({
      input_tokens: 12,
      output_tokens: 5,
      total_tokens: 17,
    });

    const stored = (await traceJson(traceId)).spans;
    expect(stored).toHaveLength(4);
    for (const sdk of spans) {
      const s = stored.find((x) => x.span_id === hex(sdk).spanId) as Record<string, any>;
      expect(s, sdk.name).toBeDefined();
      expect(s).toMatchObject({
        trace_id: traceId,
        name: sdk.name,
        parent_span_id: sdk.parentSpanContext?.spanId ?? null,
        otel_trace_id: hex(sdk).traceId,
      });
      expect(BigInt(s.start_time_unix_nano)).toBe(nanos(sdk.startTime));
      expect(BigInt(s.end_time_unix_nano)).toBe(nanos(sdk.endTime));
    }
    const find = (name: string) => stored.find((s) => s.name === name) as Record<string, any>;
    expect(find('agent').attributes).toMatchObject({ 'app.user': 'alice', 'mlflow.spanType': '"AGENT"' });
    expect(find('retrieve').attributes).toMatchObject({ 'retrieval.top_k': 3, 'retrieval.ids': ['a', 'b'] });
    expect(find('retrieve').events).toMatchObject([{ name: 'cache miss', attributes: { 'cache.key': 'q1' } }]);
    expect(find('chat gpt-test').attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 12,
    });
    const tool = find('lookup tool');
    expect(tool.status).toEqual({ code: 'STATUS_CODE_ERROR', message: 'tool exploded' });
    expect(tool.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.message': 'tool exploded' } });
  });

  it('takes OTLP/JSON from the SDK’s HTTP exporter, and spans of one trace sent over several requests', async () => {
    const spans = recordSpans(agentTrace);
    const root = spans.find((s) => s.name === 'agent') as ReadableSpan;
    const traceId = `tr-${hex(root).traceId}`;
    const exporter = new HttpJsonExporter({ url: url(), headers: { 'x-mlflow-experiment-id': exp } });
    // Children first: the trace exists, in progress, before its root arrives.
    const children = spans.filter((s) => s !== root);
    expect((await exportWith(exporter, children)).code).toBe(ExportResultCode.SUCCESS);
    let info = (await api.ok('GET', `/traces/${traceId}/info`)).trace_info;
    expect(info.status).toBe('IN_PROGRESS');
    expect((await exportWith(exporter, [root])).code).toBe(ExportResultCode.SUCCESS);
    // The same spans again (an exporter's retry): nothing counts twice.
    expect((await exportWith(exporter, children)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    info = (await api.ok('GET', `/traces/${traceId}/info`)).trace_info;
    expect(info.status).toBe('OK');
    const meta = Object.fromEntries(info.request_metadata.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(JSON.parse(meta['mlflow.trace.tokenUsage'])).toEqual({
      input_tokens: 12,
      output_tokens: 5,
      total_tokens: 17,
    });
    expect((await traceJson(traceId)).spans).toHaveLength(4);
    expect(Number((await findTrace(server.store.db, traceId))?.span_count)).toBe(4);
    const search = await api.ok(
      'GET',
      `/traces?experiment_ids=${exp}&filter=${encodeURIComponent("trace.status = 'OK'")}`,
    );
    expect(search.traces.map((t: { request_id: string }) => t.request_id)).toContain(traceId);
  });

  it('answers an ExportTraceServiceResponse in the request’s encoding, with rejected spans in partial_success', async () => {
    const spans = recordSpans((tracer) => {
      for (const name of ['a', 'b', 'c']) tracer.startSpan(name).end();
    });
    // Protobuf, gzip-compressed by hand.
    const proto = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    let res = await post(gzipSync(proto), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
      'x-mlflow-experiment-id': exp,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await res.arrayBuffer()))).toEqual({});
    for (const s of spans) await api.ok('GET', `/traces/tr-${hex(s).traceId}/info`);

    // JSON (the same spans again) with a span id that is not valid and a name PostgreSQL cannot store: those two
    // are reported, the third is kept (a NUL in its input is dropped from the preview).
    const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans) as Uint8Array));
    const [bad, nul, kept] = json.resourceSpans[0].scopeSpans[0].spans;
    bad.spanId = '';
    nul.name = 'a\u0000b';
    kept.attributes.push({ key: 'mlflow.spanInputs', value: { stringValue: 'in\u0000put' } });
    res = await post(JSON.stringify(json), { 'content-type': 'application/json', 'x-mlflow-experiment-id': exp });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(await res.text());
    expect(body.partialSuccess.rejectedSpans).toBe('2');
    expect(body.partialSuccess.errorMessage).toMatch(/8-byte span id.*; .*NUL character in its name/);
    const info = (await api.ok('GET', `/traces/tr-${kept.traceId}/info`)).trace_info;
    expect(info.request_metadata).toContainEqual({ key: 'mlflow.traceInputs', value: 'input' });
  });

  it('refuses requests it cannot take: no experiment header, an unknown experiment, another media type, garbage', async () => {
    const proto = ProtobufTraceSerializer.serializeRequest(recordSpans((t) => t.startSpan('x').end())) as Uint8Array;
    const headers = { 'content-type': 'application/x-protobuf' };
    let res = await post(proto, headers);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/x-mlflow-experiment-id/);
    res = await post(proto, { ...headers, 'x-mlflow-experiment-id': '987654' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/987654/);
    const deleted = await api.createExperiment('otlp-deleted');
    await api.ok('POST', '/experiments/delete', { experiment_id: deleted });
    res = await post(proto, { ...headers, 'x-mlflow-experiment-id': deleted });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/not active/);
    res = await post('a,b', { 'content-type': 'text/csv', 'x-mlflow-experiment-id': exp });
    expect(res.status).toBe(415);
    res = await post(proto, { ...headers, 'content-encoding': 'br', 'x-mlflow-experiment-id': exp });
    expect(res.status).toBe(415);
    res = await post(Buffer.from('\xff\xff\xff\xffnot protobuf', 'latin1'), {
      ...headers,
      'x-mlflow-experiment-id': exp,
    });
    expect(res.status).toBe(400);
    res = await post('{"resourceSpans": 5}', { 'content-type': 'application/json', 'x-mlflow-experiment-id': exp });
    expect(res.status).toBe(400);
    res = await post('not json', { 'content-type': 'application/json', 'x-mlflow-experiment-id': exp });
    expect(res.status).toBe(400);
    res = await post(Buffer.from('not gzip'), {
      ...headers,
      'content-encoding': 'gzip',
      'x-mlflow-experiment-id': exp,
    });
    expect(res.status).toBe(400);
  });

  it('serves workspaces: /w/<ws>/v1/traces logs to that workspace’s experiments only', async () => {
    await trove(server).ok('POST', '/workspaces', { name: 'otlp-ws' });
    const wsExp = await mlflow(server, 'otlp-ws').createExperiment('otlp-in-ws');
    const spans = recordSpans((t) => t.startSpan('in workspace').end());
    const proto = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    const headers = { 'content-type': 'application/x-protobuf', 'x-mlflow-experiment-id': wsExp };
    expect((await post(proto, headers)).status).toBe(400);
    expect((await post(proto, headers, 'otlp-ws')).status).toBe(200);
    const traceId = `tr-${hex(spans[0]).traceId}`;
    expect((await mlflow(server, 'otlp-ws').ok('GET', `/traces/${traceId}/info`)).trace_info.experiment_id).toBe(wsExp);
  });

  it('keeps every span when requests for one trace arrive at once', async () => {
    const spans = recordSpans((t) => {
      const root = t.startSpan('root');
      const inRoot = trace.setSpan(context.active(), root);
      for (let i = 0; i < 40; i++) t.startSpan(`child ${i}`, {}, inRoot).end();
      root.end();
    });
    const headers = { 'content-type': 'application/x-protobuf', 'x-mlflow-experiment-id': exp };
    const parts = [0, 1, 2, 3].map((k) => spans.filter((_, i) => i % 4 === k));
    const answers = await Promise.all(
      parts.map((part) => post(ProtobufTraceSerializer.serializeRequest(part) as Uint8Array, headers)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const traceId = `tr-${hex(spans[0]).traceId}`;
    expect((await traceJson(traceId)).spans).toHaveLength(41);
    expect(Number((await findTrace(server.store.db, traceId))?.span_count)).toBe(41);
    expect((await api.ok('GET', `/traces/${traceId}/info`)).trace_info.status).toBe('OK');
  });

  it('files spans under the trace their mlflow.traceRequestId attribute names (MLflow 3 clients)', async () => {
    const mlflowId = 'tr-0123456789abcdef0123456789abcdef';
    const spans = recordSpans((t) => {
      const root = t.startSpan('predict', { attributes: { 'mlflow.traceRequestId': JSON.stringify(mlflowId) } });
      t.startSpan(
        'step',
        { attributes: { 'mlflow.traceRequestId': JSON.stringify(mlflowId) } },
        trace.setSpan(context.active(), root),
      ).end();
      root.end();
    });
    const proto = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    expect(
      (await post(proto, { 'content-type': 'application/x-protobuf', 'x-mlflow-experiment-id': exp })).status,
    ).toBe(200);
    const stored = (await traceJson(mlflowId)).spans;
    expect(stored.map((s) => s.name).sort()).toEqual(['predict', 'step']);
    expect(stored.every((s) => s.trace_id === mlflowId && s.otel_trace_id === hex(spans[0]).traceId)).toBe(true);
  });
});
