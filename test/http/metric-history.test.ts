import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let runA: string;
let runB: string;

async function logSeries(
  runId: string,
  key: string,
  steps: number[],
  value: (s: number) => number | string = (s) => s / 10,
) {
  for (let i = 0; i < steps.length; i += 1000) {
    const metrics = steps.slice(i, i + 1000).map((s) => ({ key, value: value(s), timestamp: 1_000_000 + s, step: s }));
    await api.ok('POST', '/runs/log-batch', { run_id: runId, metrics });
  }
}

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  const exp = await api.createExperiment('history');
  runA = await api.createRun(exp);
  runB = await api.createRun(exp);
  await logSeries(
    runA,
    'loss',
    Array.from({ length: 5000 }, (_, i) => i),
  );
  await logSeries(
    runB,
    'loss',
    Array.from({ length: 100 }, (_, i) => i * 50),
  );
});
afterAll(() => server.close());

describe('metric history', () => {
  it('returns the full history ordered by timestamp, step, value', async () => {
    const res = await api.ok('GET', `/metrics/get-history?run_id=${runA}&metric_key=loss`);
    expect(res.metrics).toHaveLength(5000);
    expect(res.metrics[0]).toEqual({ key: 'loss', value: 0, timestamp: 1_000_000, step: 0 });
    expect(res.next_page_token).toBeUndefined();
  });

  it('pages with opaque tokens the way the client follows them', async () => {
    const all: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q = `/metrics/get-history?run_id=${runA}&run_uuid=${runA}&metric_key=loss&max_results=1200${token ? `&page_token=${token}` : ''}`;
      const res = await api.ok('GET', q);
      all.push(...res.metrics.map((m: { step: number }) => m.step));
      token = res.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(all).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(
      (await api.get('/metrics/get-history', { run_id: runA, metric_key: 'loss', page_token: 'bogus' })).status,
    ).toBe(400);
  });

  it('returns an empty response for an unknown key and 404 for an unknown run', async () => {
    expect(await api.ok('GET', `/metrics/get-history?run_id=${runA}&metric_key=nope`)).toEqual({});
    expect((await api.get('/metrics/get-history', { run_id: 'a'.repeat(32), metric_key: 'loss' })).status).toBe(404);
    expect((await api.get('/metrics/get-history', { run_id: runA })).status).toBe(400);
  });

  it("samples with get-history-bulk-interval on the steps MLflow picks: every 100th of the union, the last, each run's ends", async () => {
    const res = await api.ok(
      'GET',
      `/metrics/get-history-bulk-interval?run_ids=${runA}&run_ids=${runB}&metric_key=loss&max_results=50`,
    );
    const stepsOf = (run: string) =>
      res.metrics.filter((m: { run_id: string }) => m.run_id === run).map((m: { step: number }) => m.step);
    const picked = [...Array.from({ length: 50 }, (_, i) => i * 100), 4950, 4999];
    expect(stepsOf(runA)).toEqual(picked);
    expect(stepsOf(runB)).toEqual(picked.filter((s) => s % 50 === 0));
    // Runs come back in the order asked for, as MLflow answers.
    expect(res.metrics[0].run_id).toBe(runA);
    // MLflow's index arithmetic inside a range keeps only the range's first and last step here.
    const ranged = await api.ok(
      'GET',
      `/metrics/get-history-bulk-interval?run_ids=${runA}&metric_key=loss&start_step=100&end_step=200&max_results=11`,
    );
    expect(ranged.metrics.map((m: { step: number }) => m.step)).toEqual([100, 200]);
    const small = await api.ok(
      'GET',
      `/metrics/get-history-bulk-interval?run_ids=${runA}&metric_key=loss&start_step=10&end_step=14&max_results=11`,
    );
    expect(small.metrics.map((m: { step: number }) => m.step)).toEqual([10, 11, 12, 13, 14]);
  });

  it('validates bulk-interval arguments', async () => {
    const base = { run_ids: runA, metric_key: 'loss' };
    expect((await api.get('/metrics/get-history-bulk-interval', { ...base, start_step: '5' })).status).toBe(400);
    expect(
      (await api.get('/metrics/get-history-bulk-interval', { ...base, start_step: '5', end_step: '1' })).status,
    ).toBe(400);
    expect((await api.get('/metrics/get-history-bulk-interval', { ...base, max_results: '2501' })).status).toBe(400);
    expect((await api.get('/metrics/get-history-bulk-interval', { ...base, max_results: '0' })).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0'));
    expect((await api.get('/metrics/get-history-bulk-interval', { run_ids: many, metric_key: 'loss' })).status).toBe(
      400,
    );
  });

  it('serves the UI bulk history', async () => {
    const res = await server.call(
      'GET',
      `/ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=${runB}&run_id=${runA}&metric_key=loss&max_results=150`,
    );
    expect(res.status).toBe(200);
    expect(res.body.metrics).toHaveLength(150);
  });
});
