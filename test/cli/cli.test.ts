import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { insertWebhook, openStore } from '@trove/store';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer } from '../support/process-server.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../packages/cli/bin/trove.js');
const dir = mkdtempSync(join(tmpdir(), 'trove-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trove = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, TROVE_DATA_DIR: join(dir, 'data') } });

// Each case starts `trove` processes through tsx; on a loaded 2-core machine that takes seconds.
describe('trove CLI', { timeout: 120_000 }, () => {
  it('db upgrade migrates a fresh database once (positional sqlite:/// URI)', async () => {
    const uri = `sqlite:///${join(dir, 'upgrade.db')}`;
    expect((await trove('db', 'upgrade', uri)).stdout).toContain('Applied migrations: 0001_initial');
    expect((await trove('db', 'upgrade', '--backend-store-uri', uri)).stdout).toContain('up to date');
    // Nothing logged yet, so nothing missing from the key registry (its filling: store/test/experiment-keys.test.ts).
    expect((await trove('db', 'rebuild-keys', uri)).stdout).toContain('Added 0 key(s)');
  });

  it('db encrypt-secrets seals webhook secrets stored unencrypted, with TROVE_SECRET_KEY', async () => {
    const db = join(dir, 'secrets.db');
    const store = await openStore(db);
    const now = Date.now();
    await insertWebhook(store.db, {
      webhook_id: 'w1',
      workspace_id: 1,
      name: 'old',
      description: null,
      url: 'https://example.com/hook',
      secret: 'stored-as-given',
      status: 'ACTIVE',
      creation_time: now,
      last_update_time: now,
    });
    await store.close();
    await expect(trove('db', 'encrypt-secrets', db)).rejects.toThrow(/TROVE_SECRET_KEY is not set/);
    const env = { ...process.env, TROVE_DATA_DIR: join(dir, 'data'), TROVE_SECRET_KEY: 'ab'.repeat(32) };
    const sealed = await run(process.execPath, [CLI, 'db', 'encrypt-secrets', db], { cwd: dir, env });
    expect(sealed.stdout).toContain('Encrypted 1 webhook secret(s).');
    const after = await openStore(db);
    const row = await after.db.selectFrom('webhooks').select('secret').executeTakeFirstOrThrow();
    await after.close();
    expect(row.secret).toMatch(/^enc:v1:/);
  });

  it('workspace create/list work on the database a server then serves', async () => {
    const db = join(dir, 'ws.db');
    expect(
      (await trove('workspace', 'create', 'team-a', '--description', 'vision', '--backend-store-uri', db)).stdout,
    ).toContain('/w/team-a');
    expect((await trove('workspace', 'list', '--backend-store-uri', db)).stdout).toMatch(
      /default[\s\S]*team-a\tvision/,
    );
    await expect(trove('workspace', 'create', 'team-a', '--backend-store-uri', db)).rejects.toThrow(/already exists/);
    const server = await spawnServer(
      ['--backend-store-uri', db, '--artifacts-destination', join(dir, 'art')],
      await freePort(),
    );
    try {
      const res = await fetch(`${server.url}/w/team-a/api/2.0/mlflow/experiments/get?experiment_id=0`);
      expect(res.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('rejects bad flags with a clear message', async () => {
    await expect(trove('server', '--port', 'abc')).rejects.toThrow(/--port must be an integer/);
  });

  it('serves with --workers 2 and loses no concurrent write', async () => {
    const db = join(dir, 'workers.db');
    const server = await spawnServer(
      ['--backend-store-uri', db, '--artifacts-destination', join(dir, 'art2'), '--workers', '2'],
      await freePort(),
    );
    try {
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${server.url}/api/2.0/mlflow${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as any;
        if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
        return json;
      };
      const runId = (await post('/runs/create', {})).run.info.run_id;
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          post('/runs/log-batch', {
            run_id: runId,
            metrics: Array.from({ length: 50 }, (_, j) => ({ key: 'm', value: j, timestamp: 1, step: i * 50 + j })),
          }),
        ),
      );
      const hist = await (
        await fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=m`)
      ).json();
      expect(hist.metrics).toHaveLength(2000);
    } finally {
      server.child.kill('SIGTERM');
    }
  });
});
