import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineLog, SystemMetricsSampler, startRun, TrackingClient } from '@trove/sdk';
import { describe, expect, it } from 'vitest';

describe('SystemMetricsSampler', () => {
  it('logs steps 0, 1, … of aggregated samples, and nothing once stopped', async () => {
    const logged: { step: number; keys: string[] }[] = [];
    let wake = () => {};
    const twoSteps = new Promise<void>((r) => {
      wake = r;
    });
    const sampler = new SystemMetricsSampler(
      (metrics, step) => {
        logged.push({ step, keys: Object.keys(metrics) });
        if (logged.length === 2) wake();
      },
      { samplingIntervalMs: 20, samplesBeforeLogging: 2, nodeId: 'node-1', nvidiaSmi: '/nonexistent/nvidia-smi' },
    );
    await sampler.start();
    await twoSteps;
    await sampler.stop();
    const count = logged.length;
    expect(logged.slice(0, 2).map((l) => l.step)).toEqual([0, 1]);
    expect(logged[0].keys).toEqual(expect.arrayContaining(['system/node-1/cpu_utilization_percentage']));
    expect(logged[0].keys.some((k) => k.includes('gpu_'))).toBe(false);
    // Ten sampling intervals later nothing more came: the timer is gone.
    await new Promise((r) => setTimeout(r, 200));
    expect(logged.length).toBe(count);
  });
});

describe('offline fallback on a server answering 503', () => {
  it('goes offline once the retries of a 503 are spent', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(503).end('down for maintenance');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'trove-offline-503-'));
      const client = new TrackingClient({ trackingUri: url, retry: { maxAttempts: 2, baseDelayMs: 1 } });
      const run = await startRun(client, { experimentName: 'maintenance', offlineDir: dir });
      expect(run.offline).toBe(true);
      run.log({ metrics: { loss: 1 }, step: 0 });
      await run.end();
      const [{ records }] = await new OfflineLog(dir).read();
      expect(records.map((r) => r.op)).toEqual(['create_run', 'log_batch', 'update_run']);
      // Without an offline folder the same failure is the caller's.
      await expect(startRun(client, { experimentName: 'maintenance' })).rejects.toThrow(/down for maintenance|503/);
    } finally {
      server.close();
    }
  });
});
