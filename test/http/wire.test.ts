import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

describe('wire behaviour', () => {
  it('serves /health and a PEP 440 /version', async () => {
    const health = await server.call('GET', '/health');
    expect(health).toMatchObject({ status: 200, body: 'OK' });
    const version = await server.call('GET', '/version');
    expect(version.body).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('mounts every RPC under /ajax-api too', async () => {
    const res = await server.call('GET', '/ajax-api/2.0/mlflow/experiments/get?experiment_id=0');
    expect(res.status).toBe(200);
    expect(res.body.experiment.name).toBe('Default');
  });

  it('answers unknown routes with 404 ENDPOINT_NOT_FOUND JSON', async () => {
    const res = await server.call('GET', '/api/2.0/mlflow/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    const v3 = await server.call('POST', '/api/3.0/mlflow/runs/create', {});
    expect(v3.status).toBe(404);
  });

  it('requires application/json on POST', async () => {
    const res = await server.call('POST', `${api.base}/experiments/create`, '{"name":"ct"}', {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const withCharset = await server.call('POST', `${api.base}/experiments/create`, '{"name":"ct"}', {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(withCharset.status).toBe(200);
  });

  it('rejects malformed JSON and non-object bodies with 400', async () => {
    for (const body of ['{"name":', '[1,2]', '"just a string"', '{"name": "x",}', 'nul']) {
      const res = await server.call('POST', `${api.base}/experiments/create`, body);
      expect(res.status, body).toBe(400);
      expect(['MALFORMED_REQUEST', 'INVALID_PARAMETER_VALUE', 'BAD_REQUEST']).toContain(res.body.error_code);
    }
  });

  it('decodes a double-encoded JSON body', async () => {
    const res = await server.call(
      'POST',
      `${api.base}/experiments/create`,
      JSON.stringify(JSON.stringify({ name: 'double-encoded' })),
    );
    expect(res.status).toBe(200);
  });

  it('treats an empty POST body as {} (and then reports the missing field)', async () => {
    const res = await server.call('POST', `${api.base}/experiments/create`, '', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("'name'");
  });

  it('answers 413 with an error JSON for bodies over the limit', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(17 * 1024 * 1024) });
    const res = await server.call('POST', `${api.base}/experiments/create`, huge);
    expect(res.status).toBe(413);
    expect(res.body.error_code).toBeDefined();
    expect((await server.call('GET', '/health')).status).toBe(200);
  });

  it('decodes GET query strings: repeated keys, booleans, enums and numbers as strings', async () => {
    const res = await api.get('/experiments/search', {
      max_results: '5',
      view_type: 'ALL',
      order_by: ['name ASC', 'experiment_id DESC'],
    });
    expect(res.status).toBe(200);
    const bad = await api.get('/experiments/search', { max_results: 'five' });
    expect(bad.status).toBe(400);
  });

  it('sets nosniff and frame headers', async () => {
    const res = await server.call('GET', `${api.base}/experiments/get?experiment_id=0`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});

describe("bodies in Python json's dialect (bare NaN, Infinity, -Infinity)", () => {
  it('logs bare non-finite metric values from log-batch and log-metric; get-history answers as MLflow', async () => {
    const runId = await api.createRun('0');
    const batch = `{"run_id": "${runId}", "metrics": [
      {"key": "m", "value": NaN, "timestamp": 1, "step": 0},
      {"key": "m", "value": Infinity, "timestamp": 2, "step": 1},
      {"key": "m", "value": -Infinity, "timestamp": 3, "step": 2},
      {"key": "m", "value": 0.5, "timestamp": 4, "step": 3, "model_id": null}
    ], "params": [], "tags": []}`;
    expect((await server.call('POST', `${api.base}/runs/log-batch`, batch)).status).toBe(200);
    const single = `{"run_id": "${runId}", "key": "s", "value": NaN, "timestamp": 5, "step": 9223372036854775807}`;
    expect((await server.call('POST', `${api.base}/runs/log-metric`, single)).status).toBe(200);

    // MLflow keeps NaN as NaN (written "NaN") and stores ±Infinity as ±1.7976931348623157e308.
    const history = await api.get('/metrics/get-history', { run_id: runId, metric_key: 'm' });
    expect(history.status).toBe(200);
    expect(history.body.metrics.map((m: { value: unknown; step: number }) => [m.step, m.value])).toEqual([
      [0, 'NaN'],
      [1, 1.7976931348623157e308],
      [2, -1.7976931348623157e308],
      [3, 0.5],
    ]);
    const raw = await (await fetch(`${server.url}${api.base}/metrics/get-history?run_id=${runId}&metric_key=s`)).text();
    expect(raw).toContain('"value":"NaN"');
    expect(raw).toContain('"step":9223372036854775807');
  });

  it('takes the tokens only where a double is expected: elsewhere the usual 400', async () => {
    const runId = await api.createRun('0');
    const bodies = [
      `{"run_id": "${runId}", "key": NaN, "value": 1, "timestamp": 1}`,
      `{"run_id": "${runId}", "key": "k", "value": 1, "timestamp": NaN}`,
      `{"run_id": "${runId}", "key": "k", "value": 1, "timestamp": 1, "step": Infinity}`,
      `{"run_id": "${runId}", "metrics": [{"key": "k", "value": 1, "timestamp": -Infinity}]}`,
      `{"run_id": "${runId}", "params": [{"key": "p", "value": NaN}]}`,
      `{"run_id": "${runId}", "tags": [{"key": "t", "value": Infinity}]}`,
      `{"run_id": NaN, "key": "k", "value": 1, "timestamp": 1}`,
    ];
    for (const body of bodies) {
      const path =
        body.includes('"metrics"') || body.includes('"params"') || body.includes('"tags"')
          ? '/runs/log-batch'
          : '/runs/log-metric';
      const res = await server.call('POST', `${api.base}${path}`, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error_code, body).toBe('INVALID_PARAMETER_VALUE');
    }
    const name = await server.call('POST', `${api.base}/experiments/create`, '{"name": NaN}');
    expect(name).toMatchObject({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid value NaN for parameter 'name' supplied." },
    });
    // Spellings Python does not write stay malformed JSON.
    for (const body of ['{"name": nan}', '{"name": +Infinity}', '{"name": -NaN}']) {
      expect((await server.call('POST', `${api.base}/experiments/create`, body)).body.error_code, body).toBe(
        'MALFORMED_REQUEST',
      );
    }
  });

  it('reads the tokens in a double-encoded body too', async () => {
    const runId = await api.createRun('0');
    const inner = `{"run_id": "${runId}", "key": "de", "value": -Infinity, "timestamp": 1}`;
    expect((await server.call('POST', `${api.base}/runs/log-metric`, JSON.stringify(inner))).status).toBe(200);
    const history = await api.get('/metrics/get-history', { run_id: runId, metric_key: 'de' });
    expect(history.body.metrics[0].value).toBe(-1.7976931348623157e308);
  });
});

describe('web root', () => {
  it('serves HTML at / (the web UI, or the status page when the UI is not built)', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/<title>Trove<\/title>|Trove is running/);
  });
});
