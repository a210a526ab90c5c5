import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from './dialect.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_registry.ts';

interface Migration {
  id: string;
  up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void>;
}

/** Ordered, append-only. Each runs once, in its own transaction, recorded in `trove_migrations`. */
const MIGRATIONS: Migration[] = [
  { id: '0001_initial', up: m0001.up },
  { id: '0002_registry', up: m0002.up },
];

export async function migrate(db: Kysely<unknown>, ddl: DdlDialect): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS trove_migrations (id TEXT PRIMARY KEY, applied_time BIGINT NOT NULL)`.execute(db);
  const done = await sql<{ id: string }>`SELECT id FROM trove_migrations`.execute(db);
  const applied = new Set(done.rows.map((r) => r.id));
  const ran: string[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    await db.transaction().execute(async (trx) => {
      await migration.up(trx, ddl);
      await sql`INSERT INTO trove_migrations (id, applied_time) VALUES (${migration.id}, ${Date.now()})`.execute(trx);
    });
    ran.push(migration.id);
  }
  return ran;
}
