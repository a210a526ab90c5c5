import { insertTraceAssessment } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';
import { manySpans, seedTrace, spanHex } from '../support/traces.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let exp: string;
let runId: string;
const ids: Record<string, string> = {};
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
  exp = await api.createExperiment('trace-views');
  runId = await api.createRun(exp);
  ids.chat = await seedTrace(server, {
    experimentId: exp,
    name: 'chat',
    timestampMs: T0,
    durationMs: 120,
    request: '{"question": "refund policy?"}',
    response: '"30 days"',
    tags: { env: 'prod' },
    runId,
    tokens: { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
    spans: [
      { id: 'root', name: 'answer', type: 'CHAIN', startMs: 0, endMs: 120, inputs: { question: 'refund policy?' } },
      {
        id: 'llm',
        parent: 'root',
        name: 'llm',
        type: 'CHAT_MODEL',
        startMs: 10,
        endMs: 100,
        inputs: { messages: [{ role: 'user', content: 'refund policy?' }] },
        outputs: { choices: [{ message: { role: 'assistant', content: '30 days' } }] },
        attributes: { temperature: 0.2 },
      },
    ],
  });
  ids.error = await seedTrace(server, {
    experimentId: exp,
    name: 'broken',
    timestampMs: T0 + 60_000,
    durationMs: 5,
    state: 'ERROR',
    request: '{"question": "crash?"}',
    spans: [
      {
        id: 'root',
        name: 'tool',
        startMs: 0,
        endMs: 5,
        status: 'ERROR',
        statusMessage: 'ValueError: bad input',
        events: [
          {
            name: 'exception',
            atMs: 4,
            attributes: {
              'exception.type': 'ValueError',
              'exception.message': 'bad input',
              'exception.stacktrace': 'Traceback…',
            },
          },
        ],
      },
    ],
  });
  ids.big = await seedTrace(server, {
    experimentId: exp,
    name: 'big',
    timestampMs: T0 + 120_000,
    durationMs: 2000,
    spans: manySpans(2000),
  });
});
afterAll(() => server.close());

describe('GET /api/trove/v1/experiments/{id}/traces', () => {
  it('lists the page newest first with previews, tokens, tags, run and span counts', async () => {
    const body = await t.ok('GET', `/experiments/${exp}/traces`);
    expect(body.traces.map((r: { name: string }) => r.name)).toEqual(['big', 'broken', 'chat']);
    expect(body.next_page_token).toBeUndefined();
    const chat = body.traces[2];
    expect(chat).toMatchObject({
      trace_id: ids.chat,
      experiment_id: exp,
      state: 'OK',
      timestamp_ms: T0,
      execution_time_ms: 120,
      request_preview: '{"question": "refund policy?"}',
      response_preview: '"30 days"',
      input_tokens: 12,
      output_tokens: 5,
      total_tokens: 17,
      run_id: runId,
      span_count: 2,
      assessments: { feedback: 0, expectation: 0 },
    });
    expect(chat.tags).toMatchObject({ env: 'prod', 'mlflow.traceName': 'chat' });
    expect(body.traces[0].span_count).toBe(2000);
  });

  it('filters with MLflow trace grammar and a time range, and pages by token', async () => {
    const errors = await t.ok('GET', `/experiments/${exp}/traces?filter=${encodeURIComponent("status = 'ERROR'")}`);
    expect(errors.traces.map((r: { trace_id: string }) => r.trace_id)).toEqual([ids.error]);
    const text = await t.ok('GET', `/experiments/${exp}/traces?filter=${encodeURIComponent("text ILIKE '%REFUND%'")}`);
    expect(text.traces.map((r: { trace_id: string }) => r.trace_id)).toEqual([ids.chat]);
    const ranged = await t.ok('GET', `/experiments/${exp}/traces?from=${T0 + 1}&to=${T0 + 120_000}`);
    expect(ranged.traces.map((r: { trace_id: string }) => r.trace_id)).toEqual([ids.error]);
    const first = await t.ok('GET', `/experiments/${exp}/traces?max_results=2&order_by=timestamp_ms%20ASC`);
    expect(first.traces.map((r: { name: string }) => r.name)).toEqual(['chat', 'broken']);
    const second = await t.ok(
      'GET',
      `/experiments/${exp}/traces?max_results=2&order_by=timestamp_ms%20ASC&page_token=${encodeURIComponent(first.next_page_token)}`,
    );
    expect(second.traces.map((r: { name: string }) => r.name)).toEqual(['big']);
    expect(second.next_page_token).toBeUndefined();
  });

  it('refuses a malformed filter with the parser message, and an unknown experiment with 404', async () => {
    const bad = await t.call('GET', `/experiments/${exp}/traces?filter=${encodeURIComponent('status = ')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const field = await t.call('GET', `/experiments/${exp}/traces?filter=${encodeURIComponent("colour = 'red'")}`);
    expect(field.status).toBe(400);
    expect(field.body.message).toMatch(/colour/);
    expect((await t.call('GET', '/experiments/987654/traces')).status).toBe(404);
  });

  it('counts valid assessments by kind', async () => {
    const { store } = server;
    const row = await store.db
      .selectFrom('traces')
      .select('id')
      .where('trace_id', '=', ids.error)
      .executeTakeFirstOrThrow();
    const base = {
      trace_pk: Number(row.id),
      span_id: null,
      run_uuid: null,
      overrides: null,
      creation_time: T0,
      last_update_time: T0,
    };
    await insertTraceAssessment(store.db, {
      ...base,
      assessment_id: 'a-1',
      name: 'correct',
      kind: 'feedback',
      valid: 1,
      content: '{"assessment_name":"correct","feedback":{"value":false}}',
    });
    await insertTraceAssessment(store.db, {
      ...base,
      assessment_id: 'a-2',
      name: 'expected',
      kind: 'expectation',
      valid: 1,
      content: '{"assessment_name":"expected","expectation":{"value":"ok"}}',
    });
    await insertTraceAssessment(store.db, {
      ...base,
      assessment_id: 'a-3',
      name: 'old',
      kind: 'feedback',
      valid: 0,
      content: '{}',
    });
    const body = await t.ok('GET', `/experiments/${exp}/traces?filter=${encodeURIComponent("status = 'ERROR'")}`);
    expect(body.traces[0].assessments).toEqual({ feedback: 1, expectation: 1 });
    const one = await t.ok('GET', `/traces/${ids.error}`);
    expect(one.assessments.map((a: { assessment_id: string; valid: boolean }) => [a.assessment_id, a.valid])).toEqual([
      ['a-1', true],
      ['a-2', true],
      ['a-3', false],
    ]);
    expect(one.assessments[0].content).toMatchObject({ feedback: { value: false } });
  });
});

describe('GET /api/trove/v1/runs/{run_id}/traces', () => {
  it("lists the run's traces only", async () => {
    const body = await t.ok('GET', `/runs/${runId}/traces`);
    expect(body.traces.map((r: { trace_id: string }) => r.trace_id)).toEqual([ids.chat]);
    const other = await api.createRun(exp);
    expect((await t.ok('GET', `/runs/${other}/traces`)).traces).toEqual([]);
  });
});

describe('GET /api/trove/v1/traces/{trace_id}', () => {
  it('gives the spans normalized: ns as strings, inputs/outputs out of decoded attributes, events', async () => {
    const body = await t.ok('GET', `/traces/${ids.chat}`);
    expect(body.trace).toMatchObject({
      trace_id: ids.chat,
      name: 'chat',
      run_id: runId,
      request: '{"question": "refund policy?"}',
    });
    expect(body.trace.metadata['mlflow.sourceRun']).toBe(runId);
    expect(body.spans).toHaveLength(2);
    const [root, llm] = body.spans;
    expect(root).toMatchObject({
      span_id: spanHex('root'),
      parent_span_id: null,
      name: 'answer',
      span_type: 'CHAIN',
      start_ns: `${T0}000000`,
      end_ns: `${T0 + 120}000000`,
      status: 'OK',
      inputs: { question: 'refund policy?' },
      outputs: null,
    });
    expect(llm).toMatchObject({
      parent_span_id: spanHex('root'),
      inputs: { messages: [{ role: 'user', content: 'refund policy?' }] },
      outputs: { choices: [{ message: { role: 'assistant', content: '30 days' } }] },
    });
    expect(llm.attributes.temperature).toBe(0.2);
    expect(llm.attributes['mlflow.spanType']).toBe('CHAT_MODEL');
    expect('mlflow.spanInputs' in llm.attributes).toBe(false);
  });

  it('gives outlines only with view=outline, and one span whole by id', async () => {
    const outline = await t.ok('GET', `/traces/${ids.chat}?view=outline`);
    expect(outline.trace.trace_id).toBe(ids.chat);
    expect(outline.spans).toEqual([
      {
        span_id: spanHex('root'),
        parent_span_id: null,
        name: 'answer',
        span_type: 'CHAIN',
        start_ns: `${T0}000000`,
        end_ns: `${T0 + 120}000000`,
        status: 'OK',
      },
      expect.objectContaining({ span_id: spanHex('llm'), parent_span_id: spanHex('root'), span_type: 'CHAT_MODEL' }),
    ]);
    const full = await t.ok('GET', `/traces/${ids.chat}`);
    const one = await t.ok('GET', `/traces/${ids.chat}/spans/${spanHex('llm')}`);
    expect(one).toEqual(full.spans[1]);
    const missing = await t.call('GET', `/traces/${ids.chat}/spans/00000000000000ff`);
    expect(missing.status).toBe(404);
    expect((await t.call('GET', `/traces/${ids.chat}?view=everything`)).status).toBe(400);
  });

  it('keeps the error status, its message and the exception event with an exact timestamp', async () => {
    const body = await t.ok('GET', `/traces/${ids.error}`);
    expect(body.trace.state).toBe('ERROR');
    expect(body.spans[0]).toMatchObject({
      status: 'ERROR',
      status_message: 'ValueError: bad input',
      events: [
        {
          name: 'exception',
          timestamp_ns: `${T0 + 60_000 + 4}000000`,
          attributes: { 'exception.type': 'ValueError', 'exception.message': 'bad input' },
        },
      ],
    });
  });

  it('reads OTel-shaped span documents as well', async () => {
    const started = await api.ok('POST', '/traces', { experiment_id: exp, timestamp_ms: T0 });
    const id = started.trace_info.request_id;
    const doc = {
      spans: [
        {
          trace_id: 'AAAAAAAAAAAAAAAAAAAAAA==',
          span_id: 'AAAAAAAAAAE=',
          parent_span_id: '',
          name: 'otel-root',
          start_time_unix_nano: '1700000000000000001',
          end_time_unix_nano: '1700000000500000001',
          status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
          attributes: [
            { key: 'mlflow.spanInputs', value: { stringValue: '{"q": 1}' } },
            { key: 'gen_ai.system', value: { stringValue: 'openai' } },
            { key: 'n', value: { intValue: '3' } },
          ],
          events: [{ name: 'exception', time_unix_nano: '1700000000400000007', attributes: [] }],
        },
      ],
    };
    const put = await fetch(
      `${server.url}/api/2.0/mlflow-artifacts/artifacts/${exp}/traces/${id}/artifacts/traces.json`,
      {
        method: 'PUT',
        body: JSON.stringify(doc),
      },
    );
    expect(put.status).toBe(200);
    const body = await t.ok('GET', `/traces/${id}`);
    expect(body.spans[0]).toMatchObject({
      span_id: '0000000000000001',
      parent_span_id: null,
      start_ns: '1700000000000000001',
      status: 'ERROR',
      status_message: 'boom',
      inputs: { q: 1 },
      attributes: { 'gen_ai.system': 'openai', n: 3 },
      events: [{ name: 'exception', timestamp_ns: '1700000000400000007' }],
    });
  });

  it('answers 404 for an unknown trace and for one of another workspace', async () => {
    expect((await t.call('GET', '/traces/0123456789abcdef0123456789abcdef')).status).toBe(404);
    await t.ok('POST', '/workspaces', { name: 'other-ws' });
    const other = trove(server, 'other-ws');
    expect((await other.call('GET', `/traces/${ids.chat}`)).status).toBe(404);
    expect((await other.call('GET', `/traces/${ids.chat}/spans/${spanHex('root')}`)).status).toBe(404);
  });
});
