import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * The live-event log the events stream (`GET /api/trove/v1/events`) replays and tails: one row per
 * event, written in the transaction of the change it reports, pruned by age and count.
 * `topics` is a space-separated list of `<workspace id>/<topic>`. `tx` orders rows by commit on
 * PostgreSQL (the writing transaction's id, see `repositories/live-event.repository.ts`); SQLite,
 * whose writers are serialised, leaves it 0 and orders by `id` alone.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const tx =
    ddl.name === 'postgres'
      ? 'BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text)::bigint'
      : 'INTEGER NOT NULL DEFAULT 0';
  await sql
    .raw(`CREATE TABLE live_events (
  ${ddl.idColumn('id')},
  tx ${tx},
  time BIGINT NOT NULL,
  topics TEXT NOT NULL,
  name TEXT NOT NULL,
  payload TEXT NOT NULL
)`)
    .execute(db);
  await sql.raw('CREATE INDEX live_events_tx_id ON live_events (tx, id)').execute(db);
  await sql.raw('CREATE INDEX live_events_time ON live_events (time)').execute(db);
}
