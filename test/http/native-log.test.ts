import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

describe('native nested logging', () => {
  it('stores nested params as path keys, keeps types, and MLflow sees strings', async () => {
    const runId = await api.createRun('0');
    const res = await server.call('POST', `/api/trove/v1/runs/${runId}/log`, {
      params: { optimizer: { name: 'adam', adam: { beta1: 0.9, amsgrad: false } }, layers: [64, 32], epochs: 10 },
      metrics: {
        train: {
          loss: [
            { step: 1, value: 0.9 },
            { step: 2, value: 0.7 },
          ],
        },
        val: { acc: 0.8 },
      },
      tags: { data: { version: 'v3' } },
      step: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ params: 5, metric_points: 3, tags: 1 });
    const run = (await api.ok('GET', `/runs/get?run_id=${runId}`)).run;
    const params = Object.fromEntries(run.data.params.map((p: { key: string; value: string }) => [p.key, p.value]));
    expect(params).toEqual({
      'optimizer/name': 'adam',
      'optimizer/adam/beta1': '0.9',
      'optimizer/adam/amsgrad': 'false',
      layers: '[64,32]',
      epochs: '10',
    });
    const metrics = Object.fromEntries(
      run.data.metrics.map((m: { key: string; value: number; step: number }) => [m.key, [m.value, m.step]]),
    );
    expect(metrics).toEqual({ 'train/loss': [0.7, 2], 'val/acc': [0.8, 2] });
    expect(run.data.tags.find((t: { key: string }) => t.key === 'data/version').value).toBe('v3');

    const typed = (await server.call('GET', `/api/trove/v1/runs/${runId}/params`)).body;
    expect(typed.tree).toEqual({
      optimizer: { name: 'adam', adam: { beta1: 0.9, amsgrad: false } },
      layers: [64, 32],
      epochs: 10,
    });
    expect(typed.params.find((p: { key: string }) => p.key === 'epochs')).toEqual({
      key: 'epochs',
      value: 10,
      type: 'number',
    });

    // Filters see native path keys like any MLflow key.
    const found = await api.ok('POST', '/runs/search', {
      experiment_ids: ['0'],
      filter: "params.`optimizer/adam/beta1` = '0.9'",
    });
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
  });

  it('rejects bad nested input with 400', async () => {
    const runId = await api.createRun('0');
    for (const body of [
      { params: 5 },
      { params: { 'a/b': 1 } },
      { metrics: { loss: 'high' } },
      { metrics: { loss: [5] } },
      { tags: { t: 1 } },
      { params: { x: 'v'.repeat(1_048_577) } },
    ]) {
      const res = await server.call('POST', `/api/trove/v1/runs/${runId}/log`, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await server.call('POST', `/api/trove/v1/runs/${'0'.repeat(32)}/log`, { params: { a: 1 } })).status).toBe(
      404,
    );
  });
});
