import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer } from '../support/process-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'trove-kill9-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(`${url}/api/2.0/mlflow${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('durability', () => {
  it('keeps every acknowledged log-batch point across SIGKILL during concurrent traffic', async () => {
    const args = ['--backend-store-uri', join(dir, 'trove.db'), '--artifacts-destination', join(dir, 'artifacts')];
    const port = await freePort();
    const first = await spawnServer(args, port);
    const exp = (await post(first.url, '/experiments/create', { name: 'kill9' })).body.experiment_id;
    const runs: string[] = [];
    for (let i = 0; i < 4; i++)
      runs.push((await post(first.url, '/runs/create', { experiment_id: exp })).body.run.info.run_id);

    // Four writers send batches until the server dies; each records the steps it got a 200 for.
    const acked = runs.map(() => [] as number[]);
    let killed = false;
    const writers = runs.map(async (runId, w) => {
      for (let batch = 0; batch < 100_000 && !killed; batch++) {
        const metrics = Array.from({ length: 100 }, (_, i) => ({
          key: 'loss',
          value: Math.random(),
          timestamp: 1,
          step: batch * 100 + i,
        }));
        try {
          const res = await post(first.url, '/runs/log-batch', { run_id: runId, metrics });
          if (res.status === 200) acked[w].push(...metrics.map((m) => m.step));
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await exited;
    expect(acked.every((a) => a.length > 0)).toBe(true);

    const second = await spawnServer(args, await freePort());
    try {
      for (let w = 0; w < runs.length; w++) {
        const res = await fetch(`${second.url}/api/2.0/mlflow/metrics/get-history?run_id=${runs[w]}&metric_key=loss`);
        const stored = new Set(
          ((await res.json()) as { metrics?: { step: number }[] }).metrics?.map((m) => m.step) ?? [],
        );
        const lost = acked[w].filter((s) => !stored.has(s));
        expect(lost, `run ${w}: ${acked[w].length} acknowledged`).toEqual([]);
      }
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 60_000);
});
