import { LIMITS } from '@trove/protocol';
import { chunkBatch, getOrCreateExperiment, RunLogger, startRun, TrackingClient, TroveError } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';
import { closedPortUrl } from './stub-server.ts';

let server: TestServer;
let client: TrackingClient;

beforeAll(async () => {
  server = await startServer();
  client = new TrackingClient({ trackingUri: server.url, retry: { maxAttempts: 1 } });
});
afterAll(() => server.close());

/** A fetch that records the metric count of every log-batch request and can be switched to a dead port. */
function instrumentedFetch(deadUrl?: string) {
  const state = { down: false, batches: [] as number[] };
  const fn: typeof fetch = (input, init) => {
    let url = String(input);
    if (url.includes('/runs/log-batch')) state.batches.push((JSON.parse(String(init?.body)).metrics ?? []).length);
    if (state.down && deadUrl) url = url.replace(server.url, deadUrl);
    return fetch(url, init);
  };
  return { fetch: fn, state };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const steps = async (runId: string, key = 'loss') =>
  (await client.getMetricHistory(runId, key)).map((m) => Number(m.step));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('startRun', () => {
  it('creates the experiment on first use, reuses it after, and sets run name and tags', async () => {
    const run = await startRun(client, { experimentName: 'logger-exp', runName: 'r1', tags: { team: 'vision' } });
    const again = await startRun(client, { experimentName: 'logger-exp', userId: 'ada' });
    const info = (await client.getRun(run.runId)).info;
    expect(info.run_name).toBe('r1');
    expect((await client.getRun(again.runId)).info).toMatchObject({
      experiment_id: info.experiment_id,
      user_id: 'ada',
    });
    const tags = Object.fromEntries(((await client.getRun(run.runId)).data.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ team: 'vision', 'mlflow.source.type': 'LOCAL', 'mlflow.runName': 'r1' });
    expect(tags['mlflow.user']).toBeTruthy();
  });

  it('tolerates concurrent creators of the same experiment', async () => {
    const ids = await Promise.all(range(6).map(() => getOrCreateExperiment(client, 'raced')));
    expect(new Set(ids).size).toBe(1);
    expect((await client.getExperimentByName('raced')).experiment_id).toBe(ids[0]);
  });

  it('refuses a deleted experiment, like mlflow.set_experiment', async () => {
    await client.deleteExperiment(await client.createExperiment('gone'));
    await expect(startRun(client, { experimentName: 'gone' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
  });

  it('uses the default experiment without a name', async () => {
    const run = await startRun(client);
    expect((await client.getRun(run.runId)).info.experiment_id).toBe('0');
  });
});

describe('RunLogger', () => {
  it('delivers every point on flush(), nested keys flattened to / paths', async () => {
    const run = await startRun(client, { flushIntervalMs: 0 });
    for (const step of range(250)) run.log({ metrics: { loss: 1 / (step + 1), train: { acc: step / 250 } }, step });
    expect(run.pending).toBe(500);
    await run.flush();
    expect(run.pending).toBe(0);
    expect(await steps(run.runId)).toEqual(range(250));
    expect(await steps(run.runId, 'train/acc')).toEqual(range(250));
  });

  it('sends a 2500-point burst as several log-batch requests of at most 1000 points', async () => {
    const { fetch, state } = instrumentedFetch();
    const run = await startRun(new TrackingClient({ trackingUri: server.url, fetch }), { flushIntervalMs: 0 });
    for (const step of range(2500)) run.log({ metrics: { loss: step }, step });
    await run.flush();
    expect(state.batches.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...state.batches)).toBeLessThanOrEqual(LIMITS.batchMetrics);
    expect(state.batches.reduce((a, b) => a + b, 0)).toBe(2500);
    expect(await steps(run.runId)).toEqual(range(2500));
  });

  it('flushes on its own once 1000 points are queued, and on the timer', async () => {
    const bySize = await startRun(client, { flushIntervalMs: 0 });
    for (const step of range(1000)) bySize.log({ metrics: { loss: step }, step });
    await until(() => bySize.pending === 0);
    expect(await steps(bySize.runId)).toHaveLength(1000);

    const byTimer = await startRun(client, { flushIntervalMs: 30 });
    for (const step of range(3)) byTimer.log({ metrics: { loss: step }, step });
    await until(async () => (await steps(byTimer.runId)).length === 3);
    expect(byTimer.pending).toBe(0);
  });

  it('keeps the points of a failed flush and delivers them on a later flush', async () => {
    let failures = 1;
    const flaky: typeof fetch = (input, init) => {
      if (String(input).includes('/runs/log-batch') && failures-- > 0)
        return Promise.reject(new TypeError('fetch failed'));
      return fetch(input, init);
    };
    const run = await startRun(
      new TrackingClient({ trackingUri: server.url, fetch: flaky, retry: { maxAttempts: 1 } }),
      { flushIntervalMs: 0 },
    );
    for (const step of range(10)) run.log({ metrics: { loss: step }, step });
    await expect(run.flush()).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(run.pending).toBe(10);
    expect(run.lastError).toBeInstanceOf(TroveError);
    await run.flush();
    expect(run.pending).toBe(0);
    expect(run.lastError).toBeUndefined();
    expect(await steps(run.runId)).toEqual(range(10));
  });

  it('survives a server outage in background flushes: end() fails while down, delivers everything once back', async () => {
    const { fetch, state } = instrumentedFetch(await closedPortUrl());
    const run = await startRun(
      new TrackingClient({ trackingUri: server.url, fetch, retry: { maxAttempts: 2, baseDelayMs: 1 } }),
      { flushIntervalMs: 20 },
    );
    state.down = true;
    for (const step of range(1500)) run.log({ metrics: { loss: step }, step });
    await until(() => run.lastError !== undefined);
    expect(run.pending).toBe(1500);
    await expect(run.end()).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect((await client.getRun(run.runId)).info.status).toBe('RUNNING');
    state.down = false;
    await run.end();
    expect(run.pending).toBe(0);
    expect(await steps(run.runId)).toEqual(range(1500));
    const info = (await client.getRun(run.runId)).info;
    expect(info.status).toBe('FINISHED');
    expect(Number(info.end_time)).toBeGreaterThan(0);
  });

  it('logs params flattened (strings) or typed (native endpoint), and nested tags', async () => {
    const plain = await startRun(client);
    await plain.logParams({ optimizer: { name: 'adam', lr: 0.01 }, layers: [64, 32], 'data/version': 'v3' });
    await plain.setTags({ owner: { team: 'vision' } });
    const run = await client.getRun(plain.runId);
    expect(Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]))).toEqual({
      'optimizer/name': 'adam',
      'optimizer/lr': '0.01',
      layers: '[64,32]',
      'data/version': 'v3',
    });
    expect((run.data.tags ?? []).find((t) => t.key === 'owner/team')?.value).toBe('vision');
    const many = await startRun(client);
    await many.logParams(Object.fromEntries(range(250).map((i) => [`p${i}`, i])));
    expect((await client.getRun(many.runId)).data.params).toHaveLength(250);

    const typed = await startRun(client, { typedParams: true });
    await typed.logParams({ optimizer: { name: 'adam', lr: 0.01, amsgrad: true } });
    expect((await client.getTypedParams(typed.runId)).tree).toEqual({
      optimizer: { name: 'adam', lr: 0.01, amsgrad: true },
    });
  });

  it('end() sets status and end time once; logging after end or with bad input throws at once', async () => {
    const run = await startRun(client);
    expect(() => run.log({ metrics: { 'bad//key': 1 } })).toThrow(TroveError);
    expect(() => run.log({ metrics: { loss: 'high' } })).toThrow(/must be a number/);
    expect(() => run.log({ metrics: { loss: 1 }, step: 1.5 })).toThrow(/integer/);
    expect(run.pending).toBe(0);
    run.log({ metrics: { loss: Number.NaN }, step: 0 });
    await run.end('FAILED');
    await run.end();
    expect((await client.getRun(run.runId)).info.status).toBe('FAILED');
    expect((await client.getMetricHistory(run.runId, 'loss'))[0].value).toBe('NaN');
    expect(() => run.log({ metrics: { loss: 1 } })).toThrow(/has ended/);
    expect(new RunLogger(client, run.runId).pending).toBe(0);
  });
});

describe('chunkBatch', () => {
  it('keeps every request within MLflow log-batch limits and keeps order', () => {
    const kv = (n: number, p: string) => range(n).map((i) => ({ key: `${p}${i}`, value: String(i) }));
    const chunks = chunkBatch(range(2000), kv(150, 'p'), kv(250, 't'));
    for (const c of chunks) {
      expect(c.metrics.length).toBeLessThanOrEqual(1000);
      expect(c.params.length).toBeLessThanOrEqual(100);
      expect(c.tags.length).toBeLessThanOrEqual(100);
      expect(c.metrics.length + c.params.length + c.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.flatMap((c) => c.metrics)).toEqual(range(2000));
    expect(chunks.flatMap((c) => c.params)).toEqual(kv(150, 'p'));
    expect(chunks.flatMap((c) => c.tags)).toEqual(kv(250, 't'));
    expect(chunkBatch(range(2500))).toHaveLength(3);
    expect(chunkBatch([])).toEqual([]);
  });
});
