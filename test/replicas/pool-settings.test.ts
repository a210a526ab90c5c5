import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../packages/store/src/store.ts';
import { freePort, type ServerProcess, spawnServer, stopServer } from '../support/process-server.ts';
import { call, freshDatabase, skipNotice, unavailable } from './topology.ts';

/**
 * TROVE_DB_POOL_SIZE and TROVE_DB_STATEMENT_TIMEOUT_MS (docs/deployment.md, "Pool size and
 * statement timeout"): a server process never holds more connections than its pool size, however
 * many requests arrive at once, and a statement running past the timeout is cancelled by
 * PostgreSQL while migrations are not.
 */
const reason = await unavailable();
if (reason) skipNotice('test/replicas/pool-settings.test.ts', reason);

describe.skipIf(reason !== undefined)('PostgreSQL pool size and statement timeout', () => {
  let dir: string;
  let db: { uri: string; drop(): Promise<void> };
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-pool-'));
    db = await freshDatabase('pool');
  });

  afterAll(async () => {
    await stopServer(server);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a server with TROVE_DB_POOL_SIZE=2 answers 16 concurrent requests over at most 2 connections', async () => {
    server = await spawnServer(
      ['--backend-store-uri', db.uri, '--artifacts-destination', join(dir, 'artifacts')],
      await freePort(),
      { TROVE_DB_POOL_SIZE: '2', TROVE_WEBHOOK_DISPATCHER: 'off' },
    );
    const created = await call(server.url, 'POST', '/api/2.0/mlflow/experiments/create', { name: 'pool' });
    const experimentId = created.body.experiment_id;
    const answers = await Promise.all(
      Array.from({ length: 16 }, () =>
        call(server?.url as string, 'POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId] }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    const metrics = String((await call(server.url, 'GET', '/metrics')).body);
    const total = Number(/^trove_db_pool_connections\{state="total"\} (\d+)/m.exec(metrics)?.[1]);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(2);
    const c = new pg.Client({ connectionString: db.uri });
    await c.connect();
    try {
      const { rows } = await c.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'trove'",
      );
      expect(Number(rows[0].n)).toBeLessThanOrEqual(2);
    } finally {
      await c.end();
    }
  });

  it('cancels a statement that runs past the statement timeout, and the connection serves the next one', async () => {
    const store = await openStore(db.uri, { poolSize: 1, statementTimeoutMs: 200 });
    try {
      const slow = sql`SELECT pg_sleep(3)`.execute(store.db);
      await expect(slow).rejects.toMatchObject({ code: '57014' });
      const { rows } = await sql<{ t: string }>`SELECT current_setting('statement_timeout') AS t`.execute(store.db);
      expect(rows[0].t).toBe('200ms');
    } finally {
      await store.close();
    }
  });

  it('migrations run without the statement timeout', async () => {
    const fresh = await freshDatabase('pool_migrate');
    try {
      // Every migration of an empty database, each statement allowed 5 ms: only the lift lets them finish.
      const store = await openStore(fresh.uri, { poolSize: 1, statementTimeoutMs: 5 });
      await store.close();
      const check = await openStore(fresh.uri, { poolSize: 1, migrate: false });
      try {
        const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM trove_migrations`.execute(check.db);
        expect(Number(rows[0].n)).toBeGreaterThan(10);
      } finally {
        await check.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
