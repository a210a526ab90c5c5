import { Readable } from 'node:stream';
import { backoffDelay, HttpClient, optionsFromEnv, TrackingClient, TroveError } from '@trove/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPortUrl, countingFetch, type StubReply, startStub } from './stub-server.ts';

const FAST = { baseDelayMs: 1, maxDelayMs: 5 };
const json = (status: number, body: unknown, headers?: Record<string, string>): StubReply => ({
  status,
  body: JSON.stringify(body),
  headers,
});
const stubs: { close(): Promise<void> }[] = [];
async function stub(replies: StubReply[]) {
  const s = await startStub(replies);
  stubs.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});

async function failure(p: Promise<unknown>): Promise<TroveError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TroveError);
  return e as TroveError;
}

describe('HttpClient retries', () => {
  it('retries a 503 and returns the 200 that follows', async () => {
    const s = await stub([json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }), json(200, { ok: 1 })]);
    const http = new HttpClient({ trackingUri: s.url, retry: FAST });
    expect(await http.get('/x')).toEqual({ ok: 1 });
    expect(s.requests).toHaveLength(2);
  });

  it('retries 429 (honouring Retry-After), 502 and 504, POSTs included', async () => {
    const s = await stub([
      json(429, {}, { 'retry-after': '0' }),
      { status: 502, body: 'bad gateway' },
      { status: 504, body: '' },
      json(200, { done: true }),
    ]);
    const http = new HttpClient({ trackingUri: s.url, retry: FAST });
    expect(await http.post('/y', { a: 1 })).toEqual({ done: true });
    expect(s.requests.map((r) => r.body)).toEqual(Array(4).fill('{"a":1}'));
  });

  it('does not retry a 400 and surfaces the server error code', async () => {
    const s = await stub([json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad key' }), json(200, {})]);
    const err = await failure(new HttpClient({ trackingUri: s.url, retry: FAST }).post('/z', {}));
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toBe('bad key');
    expect(s.requests).toHaveLength(1);
  });

  it('does not retry a 500', async () => {
    const s = await stub([json(500, { error_code: 'INTERNAL_ERROR', message: 'boom' }), json(200, {})]);
    expect((await failure(new HttpClient({ trackingUri: s.url, retry: FAST }).get('/z'))).code).toBe('INTERNAL_ERROR');
    expect(s.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const s = await stub([json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'still busy' })]);
    const err = await failure(new HttpClient({ trackingUri: s.url, retry: { ...FAST, maxAttempts: 3 } }).get('/z'));
    expect(err.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(s.requests).toHaveLength(3);
  });

  it('retries network errors, bounded, then throws IO_ERROR', async () => {
    const counter = countingFetch();
    const http = new HttpClient({
      trackingUri: await closedPortUrl(),
      retry: { ...FAST, maxAttempts: 4 },
      fetch: counter.fetch,
    });
    const err = await failure(http.get('/api/2.0/mlflow/experiments/get', { experiment_id: '1' }));
    expect(err.code).toBe('IO_ERROR');
    expect(err.message).toMatch(/after 4 attempt/);
    expect(counter.calls).toHaveLength(4);
  });

  it('sends a one-shot stream body once, even on a retryable status', async () => {
    const s = await stub([{ status: 503, body: '' }, json(200, {})]);
    const http = new HttpClient({ trackingUri: s.url, retry: FAST });
    const body = Readable.toWeb(Readable.from([Buffer.from('abc')])) as unknown as BodyInit;
    expect((await failure(http.send('PUT', '/a', { body }))).code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(s.requests).toHaveLength(1);
  });

  it('backs off exponentially within the cap', () => {
    const opts = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 20; i++) {
      const d3 = backoffDelay(3, opts);
      expect(d3).toBeGreaterThanOrEqual(200);
      expect(d3).toBeLessThanOrEqual(400);
      expect(backoffDelay(10, opts)).toBeLessThanOrEqual(1000);
    }
    expect(backoffDelay(1, opts, '7')).toBe(1000);
    expect(backoffDelay(1, opts, '0.5')).toBe(500);
  });
});

describe('HttpClient errors', () => {
  it('maps unknown codes to INTERNAL_ERROR and non-JSON bodies by status', async () => {
    const s = await stub([
      json(409, { error_code: 'SOMETHING_NEW', message: 'novel' }),
      { status: 404, body: '<html>nope</html>' },
      { status: 418, body: 'teapot' },
    ]);
    const http = new HttpClient({ trackingUri: s.url, retry: FAST });
    const unknown = await failure(http.get('/a'));
    expect([unknown.code, unknown.message]).toEqual(['INTERNAL_ERROR', 'novel']);
    expect((await failure(http.get('/b'))).code).toBe('ENDPOINT_NOT_FOUND');
    const odd = await failure(http.get('/c'));
    expect(odd.code).toBe('INTERNAL_ERROR');
    expect(odd.message).toMatch(/HTTP 418 .*teapot/);
    expect((odd as TroveError & { httpStatus: number }).httpStatus).toBe(418);
  });

  it('treats an empty 200 as {} and a non-JSON 200 as an error', async () => {
    const s = await stub([
      { status: 200, body: '' },
      { status: 200, body: 'not json' },
    ]);
    const http = new HttpClient({ trackingUri: s.url });
    expect(await http.get('/a')).toEqual({});
    expect((await failure(http.get('/b'))).code).toBe('INTERNAL_ERROR');
  });
});

describe('HttpClient requests', () => {
  it('encodes GET queries with repeated keys and leaves out undefined', async () => {
    const s = await stub([json(200, {})]);
    await new HttpClient({ trackingUri: s.url }).get('/q', {
      run_ids: ['a', 'b c'],
      metric_key: 'loss/x',
      max_results: 5,
      start_step: 2n ** 60n,
      skip: undefined,
      flag: true,
    });
    expect(s.requests[0].url).toBe(
      `/q?run_ids=a&run_ids=b+c&metric_key=loss%2Fx&max_results=5&start_step=${2n ** 60n}&flag=true`,
    );
  });

  it('keeps int64 fidelity both ways', async () => {
    const big = 2n ** 62n + 1n;
    const s = await stub([{ status: 200, body: `{"step":${big},"small":3}` }]);
    const res = await new HttpClient({ trackingUri: s.url }).post<{ step: bigint; small: number }>('/p', { step: big });
    expect(s.requests[0].body).toBe(`{"step":${big}}`);
    expect(s.requests[0].headers['content-type']).toBe('application/json');
    expect(res).toEqual({ step: big, small: 3 });
  });

  it('sends bearer and basic Authorization headers; credentials in the URI become basic auth', async () => {
    const s = await stub([json(200, {})]);
    await new HttpClient({ trackingUri: s.url, auth: { token: 'tok' } }).get('/a');
    await new HttpClient({ trackingUri: s.url, auth: { username: 'u', password: 'p:w' } }).get('/b');
    const withCreds = s.url.replace('http://', 'http://alice:s%40cret@');
    const http = new HttpClient({ trackingUri: withCreds, headers: { 'x-extra': '1' } });
    expect(http.baseUrl).toBe(s.url);
    await http.get('/c');
    expect(s.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok',
      `Basic ${Buffer.from('u:p:w').toString('base64')}`,
      `Basic ${Buffer.from('alice:s@cret').toString('base64')}`,
    ]);
    expect(s.requests[2].headers['x-extra']).toBe('1');
    expect(s.requests[0].headers['user-agent']).toMatch(/^trove-sdk-ts/);
  });

  it('resolves paths under a workspace-prefixed tracking URI', async () => {
    const s = await stub([json(200, {})]);
    expect(new HttpClient({ trackingUri: `${s.url}/w/team-a/` }).baseUrl).toBe(`${s.url}/w/team-a`);
    expect(new HttpClient({ trackingUri: s.url, workspace: 'team-b' }).baseUrl).toBe(`${s.url}/w/team-b`);
    await new HttpClient({ trackingUri: `${s.url}/w/team-a` }).get('/api/2.0/mlflow/experiments/get', {
      experiment_id: '1',
    });
    expect(s.requests[0].url).toBe('/w/team-a/api/2.0/mlflow/experiments/get?experiment_id=1');
    expect(() => new HttpClient({ trackingUri: 'file:///tmp/mlruns' })).toThrow(TroveError);
  });
});

describe('configuration from MLflow environment variables', () => {
  it('reads the tracking URI, a token, or a username and password', async () => {
    expect(optionsFromEnv({ MLFLOW_TRACKING_URI: 'http://h:1/w/x', MLFLOW_TRACKING_TOKEN: 't' })).toEqual({
      trackingUri: 'http://h:1/w/x',
      auth: { token: 't' },
    });
    expect(optionsFromEnv({ MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toEqual({
      auth: { username: 'u', password: 'p' },
    });
    expect(optionsFromEnv({})).toEqual({});
    const s = await stub([json(200, { experiment: { experiment_id: '1' } })]);
    const client = TrackingClient.fromEnv({ trackingUri: s.url, auth: { token: 'override' } });
    expect((await client.getExperiment('1')).experiment_id).toBe('1');
    expect(s.requests[0].headers.authorization).toBe('Bearer override');
  });
});
