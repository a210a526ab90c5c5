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
    const res = await server.call('POST', `${api.base}/experiments/create`, '{"name":"ct"}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const withCharset = await server.call('POST', `${api.base}/experiments/create`, '{"name":"ct"}', { 'content-type': 'application/json; charset=utf-8' });
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
    const res = await server.call('POST', `${api.base}/experiments/create`, JSON.stringify(JSON.stringify({ name: 'double-encoded' })));
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
    const res = await api.get('/experiments/search', { max_results: '5', view_type: 'ALL', order_by: ['name ASC', 'experiment_id DESC'] });
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

describe('web root', () => {
  it('serves HTML at / (the web UI, or the status page when the UI is not built)', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/<title>Trove<\/title>|Trove is running/);
  });
});
