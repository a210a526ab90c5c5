import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { OfflineLog, RunLogger, startRun, syncOfflineLog, TrackingClient } from '@trove/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';
import { closedPortUrl } from './stub-server.ts';

const exec = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const trove = (args: string[]) =>
  exec(process.execPath, [CLI, ...args], { env: { ...process.env, MLFLOW_TRACKING_URI: '' } });

let server: TestServer | undefined;
afterAll(() => server?.close());

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A fetch that goes to `state.target` instead of the URL's own server while `state.down`. */
function switchableFetch(dead: string) {
  const state = { down: false, live: '' };
  const fn: typeof fetch = (input, init) => {
    const url = String(input);
    return fetch(state.down ? url.replace(state.live, dead) : url, init);
  };
  return { fetch: fn, state };
}

describe('offline mode → trove sync', { timeout: 180_000 }, () => {
  it('logs with no server, then a server that comes up later gets every call exactly once, however often synced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-offline-'));
    const dead = await closedPortUrl();
    const noServer = new TrackingClient({ trackingUri: dead, retry: { maxAttempts: 2, baseDelayMs: 1 } });

    // 1. A run started while nothing listens: made in the offline log.
    const offline = await startRun(noServer, {
      experimentName: 'offline-exp',
      runName: 'on-the-train',
      offlineDir: dir,
      maxBatchPoints: 100,
    });
    expect(offline.offline).toBe(true);
    expect(offline.runId).toMatch(/^offline-[0-9a-f]{32}$/);
    await offline.logParams({ lr: 0.1, optimizer: { name: 'adam' } });
    await offline.setTags({ team: 'vision' });
    const t0 = Date.now();
    for (const step of range(250))
      offline.log({ metrics: { loss: 1 / (step + 1), acc: step / 250 }, step, timestamp: t0 + step });
    offline.log({ metrics: { loss: Number.NaN }, step: 250, timestamp: t0 + 250 });
    const image = await offline.logImage('sample', 3, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 7]));
    await offline.end();

    // 2. The server comes up; a second run starts online and loses it halfway.
    server = await startServer();
    const sw = switchableFetch(dead);
    sw.state.live = server.url;
    const flaky = new TrackingClient({
      trackingUri: server.url,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      fetch: sw.fetch,
    });
    const midway = await startRun(flaky, { experimentName: 'offline-exp', runName: 'midway', offlineDir: dir });
    for (const step of range(10)) midway.log({ metrics: { loss: step }, step, timestamp: t0 + step });
    await midway.flush();
    sw.state.down = true;
    for (const step of range(10))
      midway.log({ metrics: { loss: step + 10 }, step: step + 10, timestamp: t0 + 10 + step });
    await midway.end();
    expect(midway.offline).toBe(true);

    // 3. trove sync, through the built binary, twice.
    const client = new TrackingClient({ trackingUri: server.url });
    const first = JSON.parse((await trove(['sync', dir, '--tracking-uri', server.url, '--json'])).stdout);
    expect(first).toMatchObject({ runs: 2, created: 1, skipped: 0, metricPoints: 251 * 2 - 1 + 10, artifacts: 1 });
    const serverId = first.runIds[offline.runId];
    expect(serverId).toMatch(/^[0-9a-f]{32}$/);

    const check = async () => {
      const exp = await client.getExperimentByName('offline-exp');
      const runs = (await client.searchRuns({ experimentIds: [exp.experiment_id] })).runs;
      expect(runs.map((r) => r.info.run_name).sort()).toEqual(['midway', 'on-the-train']);
      const run = await client.getRun(serverId);
      expect(run.info.status).toBe('FINISHED');
      expect(Number(run.info.end_time)).toBeGreaterThan(0);
      const params = Object.fromEntries(run.data.params!.map((p) => [p.key, p.value]));
      expect(params).toEqual({ lr: '0.1', 'optimizer/name': 'adam' });
      const tags = Object.fromEntries(run.data.tags!.map((t) => [t.key, t.value]));
      expect(tags).toMatchObject({
        team: 'vision',
        'trove.offline_id': offline.runId,
        'mlflow.runName': 'on-the-train',
      });
      const loss = await client.getMetricHistory(serverId, 'loss');
      expect(loss.map((m) => Number(m.step))).toEqual(range(251));
      expect(loss[250].value).toBe('NaN'); // MLflow's JSON for NaN
      expect(loss[3]).toMatchObject({ value: 1 / 4, timestamp: t0 + 3 });
      expect((await client.getMetricHistory(serverId, 'acc')).map((m) => m.value)).toEqual(
        range(250).map((s) => s / 250),
      );
      expect([...(await client.downloadArtifact(serverId, image))]).toEqual([0x89, 0x50, 0x4e, 0x47, 7]);
      const mid = await client.getRun(midway.runId);
      expect(mid.info.status).toBe('FINISHED');
      expect((await client.getMetricHistory(midway.runId, 'loss')).map((m) => m.value)).toEqual(range(20));
    };
    await check();

    // Again: nothing new to send.
    const second = (await trove(['sync', dir, '--tracking-uri', server.url])).stdout;
    expect(second).toContain(
      `Synced 2 run(s) from ${dir}: 0 created, 0 records sent (${first.records - 1} already delivered)`,
    );
    expect(second).toContain(`${offline.runId}\t${serverId}`);
    await check();

    // Everything resent (the delivery record lost): the server still holds each call's data once.
    const full = await syncOfflineLog(client, dir, { full: true });
    expect(full).toMatchObject({ created: 0, records: first.records, runIds: first.runIds });
    await check();
  });

  it('reads a log whose last line was torn by a crash, and refuses damage elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-offline-torn-'));
    const log = new OfflineLog(dir);
    await log.append('run1', [{ op: 'update_run', run_id: 'run1', status: 'FINISHED', end_time: 1 }]);
    appendFileSync(join(dir, 'runs', 'run1.jsonl'), '{"op":"log_ba');
    expect((await log.read())[0].records).toHaveLength(1);
    appendFileSync(join(dir, 'runs', 'run1.jsonl'), '\n{"op":"update_run","run_id":"run1"}\n');
    await expect(log.read()).rejects.toThrow(/line 2 is not JSON/);
  });
});

describe('back-pressure', () => {
  it('holds the producer while the queue is full and drops nothing', async () => {
    server ??= await startServer();
    const client = new TrackingClient({ trackingUri: server.url });
    const runId = (await client.createRun({ runName: 'pressure' })).info.run_id;
    // log-batch requests wait until the gate opens.
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    let blocked!: () => void;
    const sending = new Promise<void>((r) => {
      blocked = r;
    });
    const gated: typeof fetch = async (input, init) => {
      if (String(input).includes('/runs/log-batch')) {
        blocked();
        await gate;
      }
      return fetch(input, init);
    };
    const gatedClient = new TrackingClient({ trackingUri: server.url, fetch: gated });
    const run = new RunLogger(gatedClient, runId, { maxBatchPoints: 10, maxQueuedPoints: 20, flushIntervalMs: 0 });
    for (const step of range(10)) await run.log({ metrics: { x: step }, step });
    await sending;
    for (const step of range(9)) await run.log({ metrics: { x: step + 10 }, step: step + 10 });
    let released = false;
    const full = run.log({ metrics: { x: 19 }, step: 19 }).then(() => {
      released = true;
    });
    await Promise.resolve();
    expect(released).toBe(false);
    expect(run.pending).toBe(20);
    open();
    await full;
    expect(released).toBe(true);
    await run.end();
    expect((await client.getMetricHistory(runId, 'x')).map((m) => m.value)).toEqual(range(20));
  });
});
