import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createApp, parseServerConfig } from '@trove/server';
import { openStore } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const dir = mkdtempSync(join(tmpdir(), 'trove-gc-'));
const dbPath = join(dir, 'trove.db');
const artifactsDir = join(dir, 'artifacts');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gc = async (...args: string[]) =>
  (
    await exec(
      process.execPath,
      [CLI, 'gc', '--backend-store-uri', dbPath, '--artifacts-destination', artifactsDir, ...args],
      { cwd: dir },
    )
  ).stdout;

interface Seed {
  keptExp: string;
  keptRun: string;
  deletedRun: string;
  goneExp: string;
  goneExpRuns: string[];
}
let seed: Seed;

/** Counts rows of the tables gc touches, over one short-lived connection. */
async function counts(): Promise<Record<string, number>> {
  const store = await openStore(dbPath, { migrate: false });
  try {
    const out: Record<string, number> = {};
    for (const t of [
      'experiments',
      'experiment_tags',
      'runs',
      'params',
      'run_tags',
      'metric_series',
      'metric_points',
      'run_inputs',
      'datasets',
    ] as const) {
      const row = await store.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    // Points live in rows or in chunks (a series logged in order is packed): count both.
    const chunked = await store.db
      .selectFrom('metric_chunks')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('point_count'), eb.lit(0)).as('n'))
      .executeTakeFirstOrThrow();
    out.metric_points += Number(chunked.n);
    out.metric_chunks = Number(
      (
        await store.db
          .selectFrom('metric_chunks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    return out;
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const config = parseServerConfig({
    port: 0,
    backendStoreUri: dbPath,
    artifactsDestination: artifactsDir,
    logLevel: 'silent',
  });
  const store = await openStore(dbPath);
  const app = await createApp({ config, store, logger: false, webhooks: { dispatcher: false } });
  const post = async (url: string, body: unknown) => {
    const res = await app.inject({ method: 'POST', url: `/api/2.0/mlflow${url}`, payload: body as object });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const put = async (key: string) => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/2.0/mlflow-artifacts/artifacts/${key}`,
      payload: Buffer.from('bytes'),
      headers: { 'content-type': 'application/octet-stream' },
    });
    if (res.statusCode !== 200) throw new Error(`PUT ${key} → ${res.statusCode}`);
  };
  const fill = async (experimentId: string) => {
    const run = (await post('/runs/create', { experiment_id: experimentId, start_time: 1 })).run.info.run_id as string;
    await post('/runs/log-batch', {
      run_id: run,
      metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: step, timestamp: step, step })),
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 't', value: 'v' }],
    });
    await post('/runs/log-inputs', {
      run_id: run,
      datasets: [{ dataset: { name: 'd', digest: 'x1', source_type: 'local', source: '{}' }, tags: [] }],
    });
    await put(`${experimentId}/${run}/artifacts/model/file.txt`);
    return run;
  };
  const keptExp = (await post('/experiments/create', { name: 'kept' })).experiment_id as string;
  const keptRun = await fill(keptExp);
  const deletedRun = await fill(keptExp);
  await post('/runs/delete', { run_id: deletedRun });
  const goneExp = (await post('/experiments/create', { name: 'gone', tags: [{ key: 'team', value: 'a' }] }))
    .experiment_id as string;
  const goneExpRuns = [await fill(goneExp), await fill(goneExp)];
  await post('/experiments/delete', { experiment_id: goneExp });
  await app.close();
  await store.close();
  seed = { keptExp, keptRun, deletedRun, goneExp, goneExpRuns };
});

const artifactOf = (exp: string, run: string) => join(artifactsDir, exp, run, 'artifacts', 'model', 'file.txt');

describe('trove gc', () => {
  it('--older-than spares what was deleted more recently', async () => {
    const before = await counts();
    const out = await gc('--older-than', '1d');
    expect(out).toContain('Removed 0 run(s), 0 experiment(s)');
    expect(await counts()).toEqual(before);
  });

  it('rejects a malformed duration', async () => {
    await expect(gc('--older-than', '30 days')).rejects.toThrow(/expected a duration/);
  });

  it('--dry-run prints what it would remove and changes nothing', async () => {
    const before = await counts();
    const out = await gc('--dry-run');
    expect(out).toContain(`would remove run ${seed.deletedRun} (experiment ${seed.keptExp})`);
    expect(out).toContain(`would remove experiment ${seed.goneExp} 'gone' with 2 run(s)`);
    expect(out).toContain('Dry run: would remove 3 run(s), 1 experiment(s)');
    expect(out).not.toContain(seed.keptRun);
    expect(await counts()).toEqual(before);
    expect(existsSync(artifactOf(seed.keptExp, seed.deletedRun))).toBe(true);
    expect(existsSync(join(artifactsDir, seed.goneExp))).toBe(true);
  });

  it('removes deleted runs and experiments with their data and artifacts, and keeps the rest', async () => {
    const before = await counts();
    const out = await gc();
    expect(out).toContain(`removed run ${seed.deletedRun}`);
    expect(out).toContain(`removed experiment ${seed.goneExp} 'gone' with 2 run(s)`);
    expect(out).toContain('Removed 3 run(s), 1 experiment(s)');
    const after = await counts();
    expect(after.runs).toBe(before.runs - 3);
    expect(after.experiments).toBe(before.experiments - 1);
    expect(after.experiment_tags).toBe(before.experiment_tags - 1);
    expect(after.params).toBe(before.params - 3);
    expect(after.run_tags).toBeLessThan(before.run_tags);
    expect(after.metric_series).toBe(before.metric_series - 3);
    expect(after.metric_points).toBe(before.metric_points - 9);
    expect(after.metric_chunks).toBeLessThan(before.metric_chunks);
    expect(after.run_inputs).toBe(before.run_inputs - 3);
    expect(after.datasets).toBe(before.datasets - 1);
    expect(existsSync(artifactOf(seed.keptExp, seed.deletedRun))).toBe(false);
    expect(existsSync(join(artifactsDir, seed.goneExp))).toBe(false);
    expect(existsSync(artifactOf(seed.keptExp, seed.keptRun))).toBe(true);

    // The survivor is intact and served; a second gc finds nothing.
    const store = await openStore(dbPath, { migrate: false });
    const kept = await store.db.selectFrom('runs').select('run_uuid').execute();
    await store.close();
    expect(kept.map((r) => r.run_uuid)).toContain(seed.keptRun);
    expect(await gc()).toContain('Removed 0 run(s), 0 experiment(s), 0 artifact tree(s).');
  });
});
