import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
});
afterAll(() => server.close());

const point = (key: string, value: number | string, step: number) => ({ key, value, step, timestamp: 1000 + step });

describe('GET /api/trove/v1/runs/{run_id}/metric-summaries', () => {
  it('gives each metric its min, max (NaN left out) and count, over every request that logged it', async () => {
    const runId = await api.createRun('0');
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [point('loss', 0.9, 0), point('loss', 0.4, 1), point('loss', 'NaN', 2), point('acc', 0.5, 0)],
    });
    // A later request lowers the minimum without being the latest point.
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [point('loss', 0.1, 3), point('loss', 0.3, 4), point('only_nan', 'NaN', 0)],
    });
    await t.ok('POST', `/runs/${runId}/log`, { metrics: { val: { loss: [{ step: 0, value: -2 }] } } });
    const body = await t.ok('GET', `/runs/${runId}/metric-summaries`);
    expect(body).toEqual({
      metrics: [
        { key: 'acc', min: 0.5, max: 0.5, count: 1 },
        { key: 'loss', min: 0.1, max: 0.9, count: 5 },
        { key: 'only_nan', min: null, max: null, count: 1 },
        { key: 'val/loss', min: -2, max: -2, count: 1 },
      ],
    });
  });

  it('answers an empty list for a run without metrics, and 404 for an unknown run', async () => {
    const runId = await api.createRun('0');
    expect(await t.ok('GET', `/runs/${runId}/metric-summaries`)).toEqual({ metrics: [] });
    const res = await server.call('GET', '/api/trove/v1/runs/0123456789abcdef0123456789abcdef/metric-summaries');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
