import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { type DdlDialect, postgresDdl, sqliteDdl } from './dialect.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_registry.ts';
import * as m0003 from './migrations/0003_review_webhooks.ts';
import * as m0004 from './migrations/0004_metric_chunks.ts';
import * as m0005 from './migrations/0005_tag_colors.ts';
import * as m0006 from './migrations/0006_saved_views.ts';
import * as m0007 from './migrations/0007_projects.ts';
import * as m0008 from './migrations/0008_chunk_summaries.ts';
import * as m0009 from './migrations/0009_experiment_keys.ts';
import * as m0010 from './migrations/0010_long_text_values.ts';
import * as m0011 from './migrations/0011_auth.ts';
import * as m0012 from './migrations/0012_chunk_step_counts.ts';
import * as m0013 from './migrations/0013_review_approvers.ts';
import * as m0014 from './migrations/0014_traces.ts';
import * as m0015 from './migrations/0015_trace_search.ts';
import * as m0016 from './migrations/0016_lineage_deployments.ts';
import * as m0017 from './migrations/0017_live_events.ts';
import * as m0018 from './migrations/0018_notifications.ts';
import * as m0019 from './migrations/0019_alerts.ts';

interface Migration {
  id: string;
  up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void>;
}

/** Ordered, append-only. Each runs once, in its own transaction, recorded in `trove_migrations`. */
const MIGRATIONS: Migration[] = [
  { id: '0001_initial', up: m0001.up },
  { id: '0002_registry', up: m0002.up },
  { id: '0003_review_webhooks', up: m0003.up },
  { id: '0004_metric_chunks', up: m0004.up },
  { id: '0005_tag_colors', up: m0005.up },
  { id: '0006_saved_views', up: m0006.up },
  { id: '0007_projects', up: m0007.up },
  { id: '0008_chunk_summaries', up: m0008.up },
  { id: '0009_experiment_keys', up: m0009.up },
  { id: '0010_long_text_values', up: m0010.up },
  { id: '0011_auth', up: m0011.up },
  { id: '0012_chunk_step_counts', up: m0012.up },
  { id: '0013_review_approvers', up: m0013.up },
  { id: '0014_traces', up: m0014.up },
  { id: '0015_trace_search', up: m0015.up },
  { id: '0016_lineage_deployments', up: m0016.up },
  { id: '0017_live_events', up: m0017.up },
  { id: '0018_notifications', up: m0018.up },
  { id: '0019_alerts', up: m0019.up },
];

/** The DDL dialect of a connection: the connection decides, whatever a caller believes it is. */
export function ddlOf<T>(db: Kysely<T>): DdlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresDdl : sqliteDdl;
}

/** Any constant: the PostgreSQL advisory lock that serialises migrating processes. */
const MIGRATION_LOCK = 7_296_547_101;

/**
 * Applies the pending migrations. Safe when several processes start at once: each migration runs
 * in a transaction that first takes the migration lock (PostgreSQL: `pg_advisory_xact_lock`;
 * SQLite: the write lock `BEGIN IMMEDIATE` takes) and re-checks that no one applied it meanwhile.
 * `_ddl` is kept for callers of the old signature; the dialect is read off the connection.
 */
export async function migrate(db: Kysely<unknown>, _ddl?: DdlDialect): Promise<string[]> {
  const ddl = ddlOf(db);
  const lock = async (trx: Kysely<unknown>) => {
    if (ddl.name !== 'postgres') return;
    // A server's statement_timeout is for requests; an index build on a big table may take longer.
    await sql`SET LOCAL statement_timeout = 0`.execute(trx);
    await sql`SELECT pg_advisory_xact_lock(${sql.raw(String(MIGRATION_LOCK))})`.execute(trx);
  };
  // The usual case, an up-to-date database, takes no lock at all.
  const seen = await sql<{ id: string }>`SELECT id FROM trove_migrations`.execute(db).catch(() => undefined);
  if (seen && MIGRATIONS.every((m) => seen.rows.some((r) => r.id === m.id))) return [];
  const applied = await db.transaction().execute(async (trx) => {
    await lock(trx);
    await sql`CREATE TABLE IF NOT EXISTS trove_migrations (id TEXT PRIMARY KEY, applied_time BIGINT NOT NULL)`.execute(
      trx,
    );
    const done = await sql<{ id: string }>`SELECT id FROM trove_migrations`.execute(trx);
    return new Set(done.rows.map((r) => r.id));
  });
  const ran: string[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    const didRun = await db.transaction().execute(async (trx) => {
      await lock(trx);
      const again = await sql`SELECT 1 AS x FROM trove_migrations WHERE id = ${migration.id}`.execute(trx);
      if (again.rows.length > 0) return false;
      await migration.up(trx, ddl);
      await sql`INSERT INTO trove_migrations (id, applied_time) VALUES (${migration.id}, ${Date.now()})`.execute(trx);
      return true;
    });
    if (didRun) ran.push(migration.id);
  }
  return ran;
}
