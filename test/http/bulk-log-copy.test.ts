import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

// A native log request of 10,000 points or more is written by COPY on PostgreSQL (COPY_FROM_POINTS in
// postgres-run-data-writer.ts); on SQLite the same requests check the same answers.

let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

const BASE = 1_700_000_000_000;
const valueAt = (key: string, step: number) => Math.sin(step / 50 + key.length) * 10 + (step % 3);

function points(key: string, steps: number[]) {
  return steps.map((step) => ({ step, value: valueAt(key, step), timestamp: BASE + step }));
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function log(runId: string, body: object) {
  return server.call('POST', `/api/trove/v1/runs/${runId}/log`, body);
}

async function history(runId: string, key: string): Promise<{ step: number; value: number; timestamp: number }[]> {
  const out: { step: number; value: number; timestamp: number }[] = [];
  let token: string | undefined;
  do {
    const page = await api.ok(
      'GET',
      `/metrics/get-history?run_id=${runId}&metric_key=${key}&max_results=25000${token ? `&page_token=${token}` : ''}`,
    );
    out.push(...(page.metrics ?? []));
    token = page.next_page_token;
  } while (token);
  return out.map((m) => ({ step: Number(m.step), value: m.value, timestamp: Number(m.timestamp) }));
}

async function latest(runId: string): Promise<Record<string, [number, number]>> {
  const run = (await api.ok('GET', `/runs/get?run_id=${runId}`)).run;
  return Object.fromEntries(
    (run.data.metrics ?? []).map((m: { key: string; value: number; step: number }) => [
      m.key,
      [m.value, Number(m.step)],
    ]),
  );
}

describe('large native log requests (COPY on PostgreSQL)', () => {
  it('stores every point once: in order, resent, appended, and with duplicates inside the request', async () => {
    const runId = await api.createRun('0');
    const keys = ['loss', 'acc', 'lr'];
    const first = Object.fromEntries(keys.map((k) => [k, points(k, range(0, 4000))]));
    expect((await log(runId, { metrics: first })).status).toBe(200);
    // A client retry: the same 12,000 points again change nothing.
    expect((await log(runId, { metrics: first })).status).toBe(200);
    // The next 4000 steps per key, each point twice in the request.
    const next = Object.fromEntries(
      keys.map((k) => [k, [...points(k, range(4000, 8000)), ...points(k, range(4000, 8000))]]),
    );
    expect((await log(runId, { metrics: next })).status).toBe(200);

    for (const k of keys) {
      const h = await history(runId, k);
      expect(h.length).toBe(8000);
      expect(h.map((p) => p.step)).toEqual(range(0, 8000));
      expect(h.every((p) => p.value === valueAt(k, p.step) && p.timestamp === BASE + p.step)).toBe(true);
    }
    const l = await latest(runId);
    for (const k of keys) expect(l[k]).toEqual([valueAt(k, 7999), 7999]);
  });

  it('keeps points that arrive before the stored ones (the series moves to rows)', async () => {
    const runId = await api.createRun('0');
    expect((await log(runId, { metrics: { m: points('m', range(6000, 18000)) } })).status).toBe(200);
    // Earlier steps, and a resend of stored ones, in one large request.
    const early = [...points('m', range(0, 6000)), ...points('m', range(6000, 12000))];
    expect((await log(runId, { metrics: { m: early } })).status).toBe(200);
    const h = await history(runId, 'm');
    expect(h.length).toBe(18000);
    expect(h.map((p) => p.step)).toEqual(range(0, 18000));
    expect((await latest(runId)).m).toEqual([valueAt('m', 17999), 17999]);
  });

  it('writes nothing of a large request whose param conflicts', async () => {
    const runId = await api.createRun('0');
    expect((await log(runId, { params: { lr: 0.1 } })).status).toBe(200);
    const res = await log(runId, { params: { lr: 0.2 }, metrics: { m: points('m', range(0, 12000)) } });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(await history(runId, 'm')).toEqual([]);
    expect((await latest(runId)).m).toBeUndefined();
  });
});
