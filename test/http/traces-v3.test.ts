import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

/**
 * MLflow 3's trace API, replayed from the requests the 3.6 Python client sends
 * (`test/http/fixtures/mlflow3-traces-*.json`, written from its sources: `RestStore`,
 * `MlflowV3SpanExporter`, `TracingClient`, `mlflow.tracing.assessment`). Each step is
 * `{step, method, path, body}`; `${name}` is filled from what earlier answers gave.
 */
interface Step {
  step: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}
type Answer = { status: number; body: any };

const T1 = 'tr-5f1e3c2a9b8d4e6f8a7b6c5d4e3f2a1b';
const T2 = 'tr-0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f';
const T3 = 'tr-9a8b7c6d5e4f30211203948576abcdef';
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

let server: TestServer;
const vars: Record<string, string> = {};

function fill(text: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (vars[name] === undefined) throw new Error(`fixture needs \${${name}}`);
    return vars[name];
  });
}

/** Replays one fixture file; the answers by step name. */
async function replay(file: string): Promise<Record<string, Answer>> {
  const steps = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8')) as Step[];
  const answers: Record<string, Answer> = {};
  for (const s of steps) {
    const body = s.body === undefined ? undefined : fill(JSON.stringify(s.body));
    const headers = Object.fromEntries(Object.entries(s.headers ?? {}).map(([k, v]) => [k, fill(v)]));
    const res = await server.call(s.method, fill(s.path), body, headers);
    answers[s.step] = { status: res.status, body: res.body };
    onAnswer(s.step, res.body);
  }
  return answers;
}

/** What later steps of the fixtures name: ids the server made, a page token. */
function onAnswer(step: string, body: any): void {
  if (step === 'log-feedback') vars.feedback_id = body.assessment?.assessment_id;
  if (step === 'override-feedback') vars.override_id = body.assessment?.assessment_id;
  if (step === 'search-page-1') vars.page_token = body.next_page_token;
}

beforeAll(async () => {
  server = await startServer();
  const api = mlflow(server);
  vars.exp = await api.createExperiment('genai');
  vars.run_id = await api.createRun(vars.exp);
});
afterAll(() => server?.close());

const statuses = (answers: Record<string, Answer>) =>
  Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.status]));

describe('MLflow 3 trace API, as the 3.6 client uses it', () => {
  it('exports a traced function: StartTraceV3, the spans upload, then reads it back', async () => {
    const a = await replay('mlflow3-traces-export.json');
    expect(statuses(a)).toEqual({
      'start-trace': 200,
      'upload-spans-5f1e3c': 200,
      'start-error-trace': 200,
      'upload-spans-0c9d8e': 200,
      'get-trace-info': 200,
      'batch-get': 200,
      'get-trace': 200,
    });
    const started = a['start-trace'].body.trace.trace_info;
    expect(started).toMatchObject({
      trace_id: T1,
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: vars.exp } },
      request_time: '2025-11-19T10:15:30.120Z',
      execution_duration: '0.004s',
      state: 'OK',
      request_preview: '{"x": 3}',
      response_preview: '8',
      trace_metadata: { 'mlflow.traceInputs': '{"x": 3}', 'mlflow.user': 'alice' },
    });
    expect(started.assessments).toBeUndefined();
    // No spans in the store yet: no spansLocation, so the client uploads traces.json where the tag says.
    expect(started.tags).toEqual({
      'mlflow.traceName': 'predict',
      'mlflow.artifactLocation': `mlflow-artifacts:/${vars.exp}/traces/${T1}/artifacts`,
    });

    const info = a['get-trace-info'].body.trace.trace_info;
    expect(info.tags['mlflow.trace.spansLocation']).toBe('TRACKING_STORE');
    expect(info.trace_id).toBe(T1);

    const [trace] = a['batch-get'].body.traces;
    expect(trace.trace_info.trace_id).toBe(T1);
    expect(trace.spans).toHaveLength(2);
    const root = trace.spans.find((s: any) => s.name === 'predict');
    const child = trace.spans.find((s: any) => s.name === 'add_one');
    expect(root).toEqual({
      trace_id: b64('5f1e3c2a9b8d4e6f8a7b6c5d4e3f2a1b'),
      span_id: b64('a1b2c3d4e5f60718'),
      name: 'predict',
      // Exact in the text (the next test); JSON.parse here may round.
      start_time_unix_nano: expect.anything(),
      end_time_unix_nano: expect.anything(),
      attributes: expect.arrayContaining([
        { key: 'mlflow.spanInputs', value: { kvlist_value: { values: [{ key: 'x', value: { int_value: 3 } }] } } },
        { key: 'mlflow.spanOutputs', value: { int_value: 8 } },
        { key: 'mlflow.spanType', value: { string_value: 'CHAIN' } },
        { key: 'mlflow.traceRequestId', value: { string_value: T1 } },
      ]),
      events: [],
      status: { code: 'STATUS_CODE_OK' },
    });
    expect(child.parent_span_id).toBe(root.span_id);

    const errored = a['get-trace'].body.trace;
    expect(errored.trace_info).toMatchObject({ trace_id: T2, state: 'ERROR', execution_duration: '1.500s' });
    expect(errored.trace_info.tags.topic).toBe('math');
    expect(errored.spans[0].status).toEqual({ code: 'STATUS_CODE_ERROR', message: 'ValueError: model timed out' });
    expect(errored.spans[0].events[0]).toMatchObject({
      name: 'exception',
      attributes: expect.arrayContaining([{ key: 'exception.type', value: { string_value: 'ValueError' } }]),
    });
  });

  it('nanosecond times survive whole (beyond 2^53)', async () => {
    const res = await fetch(`${server.url}/api/3.0/mlflow/traces/get?trace_id=${T1}`);
    const text = await res.text();
    expect(text).toContain('"start_time_unix_nano":1763547330120000000');
    expect(text).toContain('"end_time_unix_nano":1763547330124500000');
  });

  it('searches: all traces newest first, filters, the run, pages', async () => {
    const a = await replay('mlflow3-traces-search.json');
    expect(Object.values(statuses(a)).every((s) => s === 200)).toBe(true);
    expect(a['start-later-trace'].body.trace.trace_info.assessments).toMatchObject([
      {
        assessment_name: 'relevance',
        trace_id: T3,
        source: { source_type: 'LLM_JUDGE', source_id: 'gpt-judge' },
        feedback: { value: 0.75 },
        rationale: 'mostly on topic',
        create_time: '2025-11-19T10:15:40.260Z',
        valid: true,
      },
    ]);
    const ids = (step: string) => a[step].body.traces.map((t: any) => t.trace_id ?? t.trace_info.trace_id);
    expect(ids('search')).toEqual([T3, T2, T1]);
    expect(a.search.body.next_page_token).toBeUndefined();
    expect(ids('search-batch-get')).toEqual([T3, T2, T1]);
    expect(a['search-batch-get'].body.traces.map((t: any) => t.spans.length)).toEqual([1, 1, 2]);
    expect(ids('search-filtered')).toEqual([T3]);
    expect(ids('search-run')).toEqual([T3]);
    expect(ids('search-span-filters')).toEqual([T2]);
    expect(ids('search-span-attribute')).toEqual([T1]);
    expect(ids('search-span-content')).toEqual([T2]);
    expect(ids('search-feedback')).toEqual([T3]);
    expect(ids('search-end-time')).toEqual([T3, T2]);
    const search = async (filter: string) =>
      (
        (
          await server.call('POST', '/api/3.0/mlflow/traces/search', {
            locations: [{ mlflow_experiment: { experiment_id: vars.exp } }],
            filter,
          })
        ).body.traces ?? []
      ).map((t: any) => t.trace_id);
    // A negation misses both the JSON-quoted and the plain form; a trace without the span attribute is not matched.
    expect(await search("span.attributes.mlflow.spanType != 'CHAIN'")).toEqual([T2, T1]);
    expect(await search("span.type NOT IN ('CHAIN', 'UNKNOWN')")).toEqual([T2]);
    expect(await search("feedback.relevance LIKE '0.7%'")).toEqual([T3]);
    expect(await search("expectation.relevance = '0.75'")).toEqual([]);
    expect(a['filter-correlation'].body).toEqual({
      npmi: 1,
      npmi_smoothed: expect.closeTo(0.5221120088126169, 12),
      filter1_count: 1,
      filter2_count: 1,
      joint_count: 1,
      total_count: 3,
    });
    expect(a['filter-correlation-base'].body).toEqual({
      npmi: 0,
      npmi_smoothed: 0,
      filter1_count: 2,
      filter2_count: 1,
      joint_count: 1,
      total_count: 2,
    });
    // No support for a filter: NPMI is undefined, written as protobuf JSON writes a NaN double.
    const none = await server.call('POST', '/api/3.0/mlflow/traces/calculate-filter-correlation', {
      experiment_ids: [vars.exp],
      filter_string1: "trace.status = 'IN_PROGRESS'",
      filter_string2: "trace.status = 'OK'",
    });
    expect(none.body).toMatchObject({ npmi: 'NaN', npmi_smoothed: 'NaN', filter1_count: 0, total_count: 3 });
    expect(ids('search-page-1')).toEqual([T1, T2]);
    expect(typeof a['search-page-1'].body.next_page_token).toBe('string');
    expect(ids('search-page-2')).toEqual([T3]);
    expect(a['search-page-2'].body.next_page_token).toBeUndefined();
  });

  it('sets and deletes tags through the V2 paths the client uses and the V3 ones', async () => {
    const a = await replay('mlflow3-traces-tags.json');
    expect(Object.values(statuses(a)).every((s) => s === 200)).toBe(true);
    expect(a['info-with-tags'].body.trace.trace_info.tags).toMatchObject({ reviewed: 'yes', stage: 'prod' });
    const after = a['info-without-tags'].body.trace.trace_info.tags;
    expect(after.reviewed).toBeUndefined();
    expect(after.stage).toBeUndefined();
    expect(after['mlflow.traceName']).toBe('predict');
  });

  it('logs, reads, updates, overrides and deletes assessments', async () => {
    const a = await replay('mlflow3-traces-assessments.json');
    expect(statuses(a)).toEqual({
      'log-feedback': 200,
      'log-expectation': 200,
      'get-feedback': 200,
      'update-feedback': 200,
      'override-feedback': 200,
      'info-with-assessments': 200,
      'delete-override': 200,
      'get-restored': 200,
      'delete-again': 200,
      'get-deleted': 404,
    });
    expect(vars.feedback_id).toMatch(/^a-[0-9a-f]{32}$/);
    expect(a['log-feedback'].body.assessment).toEqual({
      assessment_id: vars.feedback_id,
      assessment_name: 'correctness',
      trace_id: T1,
      source: { source_type: 'HUMAN', source_id: 'alice' },
      create_time: '2025-11-19T10:20:00.500Z',
      last_update_time: '2025-11-19T10:20:00.500Z',
      feedback: { value: true },
      rationale: '8 is right',
      valid: true,
    });
    expect(a['log-expectation'].body.assessment).toMatchObject({
      span_id: '0f1e2d3c4b5a6978',
      expectation: { serialized_value: { serialization_format: 'JSON_FORMAT', value: '{"answer": 8}' } },
      metadata: { 'mlflow.assessment.sourceRunId': vars.run_id },
    });
    expect(a['get-feedback'].body.assessment).toEqual(a['log-feedback'].body.assessment);
    const updated = a['update-feedback'].body.assessment;
    expect(updated).toMatchObject({
      assessment_id: vars.feedback_id,
      feedback: { value: false },
      rationale: 'off by one',
      source: { source_type: 'HUMAN', source_id: 'alice' },
      create_time: '2025-11-19T10:20:00.500Z',
    });
    expect(Date.parse(updated.last_update_time)).toBeGreaterThan(Date.parse('2025-11-19T10:20:00.500Z'));

    const listed = a['info-with-assessments'].body.trace.trace_info.assessments;
    expect(listed.map((x: any) => [x.assessment_name, x.valid, x.overrides])).toEqual([
      ['correctness', false, undefined],
      ['expected', true, undefined],
      ['correctness', true, vars.feedback_id],
    ]);
    expect(a['get-restored'].body.assessment.valid).toBe(true);
    // The UI's trace view reads the same assessments, MLflow's Assessment object in `content`.
    const view = (await server.call('GET', `/api/trove/v1/traces/${T1}`)).body;
    expect(
      view.assessments.map((x: any) => [x.name, x.kind, x.valid, x.content.feedback ?? x.content.expectation]),
    ).toEqual([
      ['correctness', 'feedback', true, { value: false }],
      [
        'expected',
        'expectation',
        true,
        { serialized_value: { serialization_format: 'JSON_FORMAT', value: '{"answer": 8}' } },
      ],
    ]);
    expect(a['get-deleted'].body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('deletes by id (the client posts to the V2 path) and by age (V3)', async () => {
    const a = await replay('mlflow3-traces-delete.json');
    expect(statuses(a)).toEqual({
      'delete-by-id': 200,
      'info-deleted': 404,
      'delete-v3-by-age': 200,
      'search-after-delete': 200,
    });
    expect(a['delete-by-id'].body).toEqual({ traces_deleted: 1 });
    expect(a['info-deleted'].body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(a['delete-v3-by-age'].body).toEqual({ traces_deleted: 1 });
    expect(a['search-after-delete'].body.traces.map((t: any) => t.trace_id)).toEqual([T3]);
  });
});

describe('MLflow 3.4+ export: spans over OTLP first, then StartTraceV3', () => {
  it('merges the info into the trace the spans made and answers TRACKING_STORE (no traces.json upload)', async () => {
    const a = await replay('mlflow3-traces-otlp-export.json');
    expect(statuses(a)).toEqual({
      version: 200,
      'log-spans': 200,
      'start-trace': 200,
      'get-trace-info': 200,
      'batch-get': 200,
    });
    // At 3.4 or later the client logs spans over OTLP.
    expect(String(a.version.body)).toMatch(/^3\.([4-9]|\d{2,})\./);
    const T4 = 'tr-4d5e6f708192a3b4c5d6e7f8091a2b3c';
    const started = a['start-trace'].body.trace.trace_info;
    expect(started).toMatchObject({
      trace_id: T4,
      state: 'OK',
      request_time: '2025-11-19T10:15:50.000Z',
      execution_duration: '0.900s',
      tags: { 'mlflow.traceName': 'agent', 'mlflow.trace.spansLocation': 'TRACKING_STORE' },
    });
    expect(a['get-trace-info'].body.trace.trace_info.trace_metadata['mlflow.trace.tokenUsage']).toBe(
      '{"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}',
    );
    const [trace] = a['batch-get'].body.traces;
    const byName = Object.fromEntries(trace.spans.map((s: any) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['agent', 'llm']);
    expect(byName.llm.parent_span_id).toBe(byName.agent.span_id);
    expect(byName.agent.trace_id).toBe(b64('4d5e6f708192a3b4c5d6e7f8091a2b3c'));
    // Attribute values as the client sent them (not JSON-decoded a second time: '4' stays a string).
    expect(byName.agent.attributes).toEqual(
      expect.arrayContaining([
        {
          key: 'mlflow.spanInputs',
          value: { kvlist_value: { values: [{ key: 'question', value: { string_value: '2+2?' } }] } },
        },
        { key: 'mlflow.spanOutputs', value: { string_value: '4' } },
      ]),
    );
    expect(byName.llm.attributes).toEqual(
      expect.arrayContaining([
        {
          key: 'mlflow.chat.tokenUsage',
          value: {
            kvlist_value: {
              values: [
                { key: 'input_tokens', value: { int_value: 12 } },
                { key: 'output_tokens', value: { int_value: 3 } },
                { key: 'total_tokens', value: { int_value: 15 } },
              ],
            },
          },
        },
      ]),
    );
  });
});

describe('MLflow 3 trace API: one store with V2, errors', () => {
  const v3 = (path: string) => `/api/3.0/mlflow${path}`;
  const location = () => ({ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: vars.exp } });
  const startV3 = (info: Record<string, unknown>) =>
    server.call('POST', v3('/traces'), { trace: { trace_info: { trace_location: location(), ...info } } });

  it('a V2 trace reads through V3, and a V3 trace through V2', async () => {
    const v2 = await server.call('POST', '/api/2.0/mlflow/traces', {
      experiment_id: vars.exp,
      timestamp_ms: 1_700_000_000_000,
      tags: [{ key: 'mlflow.traceName', value: 'legacy' }],
      request_metadata: [{ key: 'mlflow.sourceRun', value: vars.run_id }],
    });
    const id = v2.body.trace_info.request_id;
    await server.call('PATCH', `/api/2.0/mlflow/traces/${id}`, { timestamp_ms: 1_700_000_002_500, status: 'OK' });
    const seen = (await server.call('GET', v3(`/traces/${id}`))).body.trace.trace_info;
    expect(seen).toMatchObject({
      trace_id: id,
      request_time: '2023-11-14T22:13:20.000Z',
      execution_duration: '2.500s',
      state: 'OK',
      trace_metadata: { 'mlflow.sourceRun': vars.run_id },
      tags: { 'mlflow.traceName': 'legacy' },
    });

    const made = await startV3({
      trace_id: 'tr-00000000000000000000000000000abc',
      request_time: '2024-01-02T03:04:05.5Z',
      state: 'ERROR',
    });
    expect(made.status).toBe(200);
    const back = (await server.call('GET', '/api/2.0/mlflow/traces/tr-00000000000000000000000000000abc/info')).body
      .trace_info;
    expect(back).toMatchObject({
      request_id: 'tr-00000000000000000000000000000abc',
      timestamp_ms: 1704164645500,
      status: 'ERROR',
    });
  });

  it('StartTraceV3 for a trace whose spans are already stored merges and says TRACKING_STORE', async () => {
    const id = 'tr-00000000000000000000000000000def';
    const info = { trace_id: id, request_time: '2025-01-01T00:00:00Z', state: 'IN_PROGRESS', tags: { a: '1' } };
    expect((await startV3(info)).status).toBe(200);
    const put = await server.call(
      'PUT',
      `/api/2.0/mlflow-artifacts/artifacts/${vars.exp}/traces/${id}/artifacts/traces.json`,
      {
        spans: [
          {
            trace_id: b64('00000000000000000000000000000def'),
            span_id: b64('0000000000000001'),
            name: 'root',
            start_time_unix_nano: 1,
            end_time_unix_nano: 2,
            status: { code: 'STATUS_CODE_OK' },
            attributes: {},
          },
        ],
      },
    );
    expect(put.status).toBe(200);
    const again = await startV3({ ...info, state: 'OK', execution_duration: '3s', tags: { b: '2' } });
    expect(again.status).toBe(200);
    expect(again.body.trace.trace_info).toMatchObject({
      state: 'OK',
      execution_duration: '3s',
      tags: { a: '1', b: '2', 'mlflow.trace.spansLocation': 'TRACKING_STORE' },
    });
  });

  it('GetTrace waits for every span the client counted unless allow_partial', async () => {
    const id = 'tr-00000000000000000000000000000fed';
    await startV3({
      trace_id: id,
      request_time: '2025-01-01T00:00:00Z',
      state: 'OK',
      trace_metadata: { 'mlflow.trace.sizeStats': '{"num_spans": 3}' },
    });
    await server.call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${vars.exp}/traces/${id}/artifacts/traces.json`, {
      spans: [
        {
          trace_id: b64('00000000000000000000000000000fed'),
          span_id: b64('0000000000000002'),
          name: 'only',
          start_time_unix_nano: 1,
          status: { code: 'STATUS_CODE_UNSET' },
          attributes: {},
        },
      ],
    });
    const strict = await server.call('GET', v3(`/traces/get?trace_id=${id}`));
    expect(strict.status).toBe(404);
    expect(strict.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const partial = await server.call('GET', v3(`/traces/get?trace_id=${id}&allow_partial=true`));
    expect(partial.status).toBe(200);
    expect(partial.body.trace.spans.map((s: any) => s.name)).toEqual(['only']);
    expect((await server.call('GET', v3(`/traces/batchGet?trace_ids=${id}`))).body).toEqual({});
  });

  it('an unknown trace is RESOURCE_DOES_NOT_EXIST (404) on every V3 route', async () => {
    const id = 'tr-ffffffffffffffffffffffffffffffff';
    const calls: [string, string, unknown?][] = [
      ['GET', `/traces/${id}`],
      ['GET', `/traces/get?trace_id=${id}`],
      ['PATCH', `/traces/${id}/tags`, { key: 'k', value: 'v' }],
      ['DELETE', `/traces/${id}/tags`, { key: 'k' }],
      [
        'POST',
        `/traces/${id}/assessments`,
        { assessment: { assessment_name: 'x', source: { source_type: 'HUMAN' }, feedback: { value: 1 } } },
      ],
      ['GET', `/traces/${id}/assessments/a-1`],
      ['PATCH', `/traces/${id}/assessments/a-1`, { assessment: {}, update_mask: 'rationale' }],
      ['DELETE', `/traces/${id}/assessments/a-1`],
    ];
    for (const [method, path, body] of calls) {
      const res = await server.call(method, v3(path), body);
      expect([path, res.status, res.body.error_code]).toEqual([path, 404, 'RESOURCE_DOES_NOT_EXIST']);
    }
    // Another workspace's trace is unknown here.
    await server.call('POST', '/api/trove/v1/workspaces', { name: 'other' });
    const res = await server.call('GET', `/w/other/api/3.0/mlflow/traces/${T3}`);
    expect(res.status).toBe(404);
  });

  it('bad bodies are INVALID_PARAMETER_VALUE (400)', async () => {
    const feedback = { assessment_name: 'q', source: { source_type: 'HUMAN', source_id: 'a' }, feedback: { value: 1 } };
    const created = await server.call('POST', v3(`/traces/${T3}/assessments`), { assessment: feedback });
    const aid = created.body.assessment.assessment_id;
    const bad: [string, string, unknown][] = [
      ['POST', '/traces', {}],
      ['POST', '/traces', { trace: { trace_info: { trace_id: 'tr-1' } } }],
      ['POST', '/traces', { trace: { trace_info: { trace_location: location(), request_time: 'yesterday' } } }],
      ['POST', '/traces', { trace: { trace_info: { trace_location: location(), execution_duration: '5 minutes' } } }],
      ['POST', '/traces', { trace: { trace_info: { trace_location: location(), state: 'DONE' } } }],
      ['POST', '/traces', { trace: { trace_info: { trace_location: location(), tags: { k: 1 } } } }],
      ['POST', '/traces/search', { max_results: 10 }],
      ['POST', '/traces/search', { locations: [location()], max_results: 501 }],
      ['POST', '/traces/search', { locations: [location()], filter: 'trace.status = ' }],
      ['POST', '/traces/search', { locations: [location()], order_by: ['colour DESC'] }],
      [
        'POST',
        '/traces/calculate-filter-correlation',
        { experiment_ids: [vars.exp], filter_string1: "trace.status = 'OK'" },
      ],
      [
        'POST',
        '/traces/calculate-filter-correlation',
        { experiment_ids: [vars.exp], filter_string1: 'x = ', filter_string2: "trace.status = 'OK'" },
      ],
      ['POST', '/traces/search', { locations: [location()], filter: "span.colour = 'red'" }],
      ['POST', '/traces/search', { locations: [location()], filter: "span.content = 'x'" }],
      ['POST', '/traces/search', { locations: [location()], filter: 'feedback.relevance = 0.75' }],
      ['POST', '/traces/search', { locations: [location()], filter: "trace.end_time > 'soon'" }],
      ['POST', `/traces/${T3}/assessments`, {}],
      ['POST', `/traces/${T3}/assessments`, { assessment: { ...feedback, feedback: undefined } }],
      ['POST', `/traces/${T3}/assessments`, { assessment: { ...feedback, source: undefined } }],
      ['POST', `/traces/${T3}/assessments`, { assessment: { ...feedback, assessment_name: '' } }],
      ['POST', `/traces/${T3}/assessments`, { assessment: { ...feedback, metadata: { k: 2 } } }],
      [
        'PATCH',
        `/traces/${T3}/assessments/${aid}`,
        { assessment: { expectation: { value: 1 } }, update_mask: 'expectation' },
      ],
      ['PATCH', `/traces/${T3}/assessments/${aid}`, { assessment: { rationale: 'r' } }],
      ['PATCH', `/traces/${T3}/tags`, { value: 'v' }],
    ];
    for (const [method, path, body] of bad) {
      const res = await server.call(method, v3(path), body);
      expect([path, body, res.status, res.body.error_code]).toEqual([path, body, 400, 'INVALID_PARAMETER_VALUE']);
    }
    const missing = await server.call('GET', v3('/traces/batchGet'));
    expect(missing.status).toBe(400);
    const overridesNothing = await server.call('POST', v3(`/traces/${T3}/assessments`), {
      assessment: { ...feedback, overrides: 'a-00000000000000000000000000000000' },
    });
    expect(overridesNothing.status).toBe(404);
  });
});
