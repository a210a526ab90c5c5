import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend } from '../../../test/support/backend.ts';
import { ddlOf, migrate, openStore } from '../src/store.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** An empty database of the backend under test (a SQLite file, or a new PostgreSQL database). */
async function emptyDatabase(): Promise<string> {
  if (testBackend() === 'postgres') {
    const { uri, drop } = await createTestDatabase({ empty: true });
    cleanups.push(drop);
    return uri;
  }
  const dir = mkdtempSync(join(tmpdir(), 'trove-migrate-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'trove.db');
}

describe(`migrator (${testBackend()})`, () => {
  it('applies every migration once when several processes open a fresh database at the same moment', async () => {
    const uri = await emptyDatabase();
    // Separate processes, as replicas or --workers are (better-sqlite3 waits for a lock synchronously).
    const opener = resolve(import.meta.dirname, 'fixtures/open-store.mjs');
    await Promise.all(Array.from({ length: 2 }, () => promisify(execFile)(process.execPath, [opener, uri])));
    const stores = [await openStore(uri, { poolSize: 2 }), await openStore(uri, { poolSize: 2 })];
    try {
      const { rows } = await sql<{
        id: string;
        n: number;
      }>`SELECT id, count(*) AS n FROM trove_migrations GROUP BY id ORDER BY id`.execute(stores[0].db);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
      expect(ddlOf(stores[0].db).name).toBe(testBackend());
      // Up to date: a second run applies nothing, whatever DDL dialect the caller names.
      expect(await migrate(stores[1].db as never)).toEqual([]);
    } finally {
      for (const s of stores) await s.close();
    }
  });
});
