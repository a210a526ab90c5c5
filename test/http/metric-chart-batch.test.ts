import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, toQuery, trove } from '../support/server.ts';

// GET /api/trove/v1/metrics/chart over more runs than the server reads at once (8 on PostgreSQL):
// the runs are looked up in one query and the series read together, yet the answer keeps the
// request's order and reports the first unknown run of the request.
let server: TestServer;
let runs: string[];

const chart = (query: Record<string, string | string[]>) =>
  server.call('GET', `${trove(server).base}/metrics/chart${toQuery(query)}`);

beforeAll(async () => {
  server = await startServer();
  const api = mlflow(server);
  const exp = await api.createExperiment('many-charts');
  runs = [];
  for (let i = 0; i < 20; i++) runs.push(await api.createRun(exp));
  // Run i logs `loss` = i at steps 0..(i * 50), every third run none at all.
  for (const [i, run] of runs.entries()) {
    if (i % 3 === 2) continue;
    const metrics = Array.from({ length: i * 50 + 1 }, (_, s) => ({
      key: 'loss',
      value: i,
      step: s,
      timestamp: 1_000 + s,
    }));
    for (let j = 0; j < metrics.length; j += 1000)
      await api.ok('POST', '/runs/log-batch', { run_id: run, metrics: metrics.slice(j, j + 1000) });
  }
});
afterAll(() => server.close());

describe('GET /api/trove/v1/metrics/chart, many runs', () => {
  it('answers every run in request order, each with its own series', async () => {
    const order = [...runs.slice(10), ...runs.slice(0, 10)].reverse();
    const res = await chart({ metric_key: 'loss', run_ids: [...order, order[0]], points: '40' });
    expect(res.status).toBe(200);
    const series = res.body.series as { run_id: string; steps: number[]; values: number[] }[];
    expect(series.map((s) => s.run_id)).toEqual(order);
    for (const s of series) {
      const i = runs.indexOf(s.run_id);
      if (i % 3 === 2) expect(s, String(i)).toEqual({ run_id: s.run_id, steps: [], timestamps: [], values: [] });
      else {
        expect(s.steps[0]).toBe(0);
        expect(s.steps.at(-1)).toBe(i * 50);
        expect(new Set(s.values)).toEqual(new Set([i]));
      }
    }
  });

  it('an unknown run anywhere fails the whole chart, naming the first unknown in request order', async () => {
    const unknown = ['e'.repeat(32), 'd'.repeat(32)];
    const res = await chart({ metric_key: 'loss', run_ids: [...runs.slice(0, 12), unknown[0], runs[12], unknown[1]] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${unknown[0]} not found` });
  });
});
