import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { refusedByMlflowClient } from '@trove/artifacts';
import { gitSourceTags, startRun, stepFilePath, TrackingClient } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupStepFiles } from '../../packages/ui/src/lib/step-files.ts';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let client: TrackingClient;
const tags = async (runId: string) =>
  Object.fromEntries((await client.getRun(runId)).data.tags!.map((t) => [t.key, t.value]));

beforeAll(async () => {
  server = await startServer();
  client = new TrackingClient({ trackingUri: server.url, retry: { maxAttempts: 1 } });
});
afterAll(() => server.close());

async function eventually<T>(check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('system metrics sampler', () => {
  it('logs MLflow’s system/ keys per step until the run ends, GPUs through nvidia-smi on PATH', async () => {
    // A fake nvidia-smi printing a recorded reading of two GPUs.
    const bin = mkdtempSync(join(tmpdir(), 'trove-fake-smi-'));
    writeFileSync(
      join(bin, 'nvidia-smi'),
      '#!/bin/sh\nprintf "0, 87, 30720, 81920, 312.45, 700.00, 64\\n1, 3, 512, 81920, 71.20, 400.00, 35\\n"\n',
    );
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    try {
      const run = await startRun(client, {
        experimentName: 'system-metrics',
        systemMetrics: { samplingIntervalMs: 200 },
      });
      // Two logged steps; the GPU keys come from the fake nvidia-smi.
      const keys = await eventually(async () => {
        const cpu = await client.getMetricHistory(run.runId, 'system/cpu_utilization_percentage');
        return cpu.length < 2 ? undefined : (await client.getRun(run.runId)).data.metrics!.map((m) => m.key);
      });
      await run.end();
      expect(keys).toEqual(
        expect.arrayContaining([
          'system/cpu_utilization_percentage',
          'system/system_memory_usage_megabytes',
          'system/system_memory_usage_percentage',
          'system/disk_usage_percentage',
          'system/disk_usage_megabytes',
          'system/disk_available_megabytes',
          'system/network_receive_megabytes',
          'system/network_transmit_megabytes',
          'system/gpu_0_utilization_percentage',
          'system/gpu_0_memory_usage_megabytes',
          'system/gpu_0_memory_usage_percentage',
          'system/gpu_0_power_usage_watts',
          'system/gpu_0_power_usage_percentage',
          'system/gpu_1_utilization_percentage',
        ]),
      );
      const gpu = await client.getMetricHistory(run.runId, 'system/gpu_0_utilization_percentage');
      expect(gpu.every((m) => m.value === 87)).toBe(true);
      // Steps count 0, 1, 2, … like MLflow's monitor.
      const cpu = await client.getMetricHistory(run.runId, 'system/cpu_utilization_percentage');
      expect(cpu.map((m) => Number(m.step))).toEqual(cpu.map((_, i) => i));
      const info = (await client.getRun(run.runId)).info;
      expect(info.status).toBe('FINISHED');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('git source tags', () => {
  it('records commit, branch, origin and entry point inside a git work tree', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'trove-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        encoding: 'utf8',
      }).trim();
    git('init', '-q', '-b', 'train-v2');
    writeFileSync(join(repo, 'train.ts'), '// training\n');
    git('add', '.');
    git('commit', '-qm', 'first');
    git('remote', 'add', 'origin', 'https://git.example.com/team/model.git');
    const run = await startRun(client, { experimentName: 'git-tags', sourceDir: repo });
    await run.end();
    expect(await tags(run.runId)).toMatchObject({
      'mlflow.source.git.commit': git('rev-parse', 'HEAD'),
      'mlflow.source.git.branch': 'train-v2',
      'mlflow.source.git.repoURL': 'https://git.example.com/team/model.git',
      'mlflow.source.name': process.argv[1],
      'mlflow.source.type': 'LOCAL',
    });
  });

  it('records no git tags, and no error, outside a work tree', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'trove-nogit-'));
    expect(await gitSourceTags(plain)).toEqual({});
    const run = await startRun(client, { experimentName: 'git-tags', sourceDir: plain });
    await run.end();
    const t = await tags(run.runId);
    expect(Object.keys(t).filter((k) => k.startsWith('mlflow.source.git.'))).toEqual([]);
    expect(t['mlflow.source.type']).toBe('LOCAL');
  });
});

describe('file series', () => {
  it('writes images per step where the UI’s step slider finds them, and tables as MLflow’s JSON', async () => {
    const run = await startRun(client, { experimentName: 'file-series' });
    const png = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, n]);
    for (const step of [0, 5, 10]) await run.logImage('val.sample', step, png(step));
    await run.logImage('mask', 5, png(99));
    const table = await run.logTable('confusion', 2, [
      { label: 'cat', count: 3 },
      { label: 'dog', count: 4 },
    ]);
    const audio = await run.logAudio('speech', 1, new Uint8Array([1, 2, 3]));
    await expect(run.logImage('val/sample', 0, png(0))).rejects.toThrow(/may not contain/);
    await run.end();

    const images = await client.listArtifacts(run.runId, 'images');
    const groups = groupStepFiles(images.map((f) => ({ path: f.path }))).get('image')!;
    expect([...groups.keys()]).toEqual(['mask', 'val.sample']);
    const series = groups.get('val.sample')!;
    expect(series.map((i) => i.step)).toEqual([0, 5, 10]);
    expect([...(await client.downloadArtifact(run.runId, series[1].path))]).toEqual([...png(5)]);

    expect(table).toMatch(/^tables\/confusion%step%02%timestamp%\d+%[0-9a-f]{32}\.json$/);
    expect(JSON.parse((await client.downloadArtifact(run.runId, table)).toString())).toEqual({
      columns: ['label', 'count'],
      data: [
        ['cat', 3],
        ['dog', 4],
      ],
    });
    expect(audio).toMatch(/^audio\/speech%step%1%timestamp%\d+%[0-9a-f]{32}\.wav$/);
  });

  // `%step%23%…` reads as `#` once MLflow's client decodes it, and the server refuses it (as
  // MLflow's does); the SDK writes such numbers so they never decode into a character that matters.
  it('logs files at steps and times whose digits would decode into # or %, and reads them back at those steps', async () => {
    const run = await startRun(client, { experimentName: 'file-series-escapes' });
    const steps = [2, 23, 25, 230, 2523, 2300];
    for (const step of steps) await run.logImage('x', step, new Uint8Array([step % 256]));
    await run.logFile('t', 1, 'a', { timestamp: 2_300_000_000_000 });
    await run.end();
    const images = await client.listArtifacts(run.runId, 'images');
    const series = groupStepFiles(images.map((f) => ({ path: f.path })))
      .get('image')!
      .get('x')!;
    expect(series.map((i) => i.step)).toEqual([...steps].sort((a, b) => a - b));
    const files = await client.listArtifacts(run.runId, 'files');
    expect(
      groupStepFiles(files.map((f) => ({ path: f.path })))
        .get('file')!
        .get('t')![0].timestamp,
    ).toBe(2_300_000_000_000);
  });

  it('never writes a step file name that MLflow’s client would refuse to list', () => {
    for (let step = -300; step <= 30_000; step++) {
      const path = stepFilePath('image', 'k', step, { timestamp: 1_700_000_000_000 + step });
      expect(refusedByMlflowClient(path), path).toBeUndefined();
    }
    for (let i = 0; i < 5000; i++) expect(refusedByMlflowClient(stepFilePath('file', 'k', 0))).toBeUndefined();
    expect(() => stepFilePath('image', 'k', 0, { timestamp: -1 })).toThrow(/Timestamp/);
  });
});
