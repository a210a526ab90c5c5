import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

// Concurrent requests that SQLite serialises and PostgreSQL runs side by side (as replicas would):
// each race has exactly one winner, and the losers get the answer a serial loser gets, never a 5xx.
let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

function outcome(results: { status: number; body: any }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? '200' : `${r.status} ${r.body.error_code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('races', () => {
  it('one of 12 concurrent creates of an experiment name wins; the others get RESOURCE_ALREADY_EXISTS', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => api.post('/experiments/create', { name: 'contested' })),
    );
    expect(outcome(results)).toEqual({ '200': 1, '400 RESOURCE_ALREADY_EXISTS': 11 });
  });

  it('one of 12 concurrent creates of a registered model wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => api.post('/registered-models/create', { name: 'contested-model' })),
    );
    expect(outcome(results)).toEqual({ '200': 1, '400 RESOURCE_ALREADY_EXISTS': 11 });
  });

  it('a param logged concurrently with different values keeps exactly one; the others are rejected', async () => {
    const runId = await api.createRun('0');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.post('/runs/log-parameter', { run_id: runId, key: 'lr', value: String(i) }),
      ),
    );
    expect(outcome(results)).toEqual({ '200': 1, '400 INVALID_PARAMETER_VALUE': 11 });
    const run = (await api.get('/runs/get', { run_id: runId })).body.run;
    const winner = results.findIndex((r) => r.status === 200);
    expect(run.data.params).toEqual([{ key: 'lr', value: String(winner) }]);
  });

  it('concurrent log-batch calls on one metric keep every point and the true latest value', async () => {
    const runId = await api.createRun('0');
    await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        api.ok('POST', '/runs/log-batch', {
          run_id: runId,
          metrics: Array.from({ length: 50 }, (_, i) => ({
            key: 'loss',
            value: w * 50 + i,
            timestamp: 1,
            step: w * 50 + i,
          })),
        }),
      ),
    );
    const history = (await api.get('/metrics/get-history', { run_id: runId, metric_key: 'loss' })).body.metrics;
    expect(history).toHaveLength(500);
    const run = (await api.get('/runs/get', { run_id: runId })).body.run;
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 499, timestamp: 1, step: 499 }]);
  });
});
