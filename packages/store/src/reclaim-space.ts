import { sql } from 'kysely';
import type { Store } from './store.ts';

const TRACE_TABLES = ['traces', 'trace_tags', 'trace_metadata', 'trace_spans', 'trace_assessments'];

export interface SpaceReport {
  /** SQLite: the database file; PostgreSQL: the trace tables with their indexes and TOAST. */
  what: string;
  beforeBytes: number;
  afterBytes: number;
}

/**
 * Gives the space of deleted rows back after a large gc. SQLite keeps freed pages in the file
 * for reuse; `VACUUM` rewrites the file without them (it holds the write lock meanwhile and needs
 * free disk as large as the database), then the WAL it filled is truncated. PostgreSQL's plain
 * `VACUUM` makes the dead rows' space reusable and returns trailing empty pages to the OS, without
 * locking out writers; shrinking the files fully is `VACUUM FULL`, an exclusive lock the operator
 * chooses to take.
 */
export async function reclaimSpace(store: Store): Promise<SpaceReport> {
  if (store.sqlite && store.exclusive) {
    const size = () =>
      store.exclusive?.(
        (raw) => Number(raw.pragma('page_count', { simple: true })) * Number(raw.pragma('page_size', { simple: true })),
      ) ?? Promise.resolve(0);
    const beforeBytes = await size();
    await store.exclusive((raw) => {
      // VACUUM builds the new file as a temporary database: with the store's temp_store=MEMORY
      // that is the whole database in RAM (2.4 GB of RSS for a 2 GB file, measured).
      raw.pragma('temp_store = FILE');
      try {
        raw.exec('VACUUM');
      } finally {
        raw.pragma('temp_store = MEMORY');
      }
      raw.pragma('wal_checkpoint(TRUNCATE)');
    });
    return { what: 'database file', beforeBytes, afterBytes: await size() };
  }
  const size = async () => {
    const r = await sql<{
      n: string;
    }>`SELECT sum(pg_total_relation_size(t::regclass))::text AS n FROM unnest(${TRACE_TABLES}::text[]) t`.execute(
      store.db,
    );
    return Number(r.rows[0]?.n ?? 0);
  };
  const beforeBytes = await size();
  await sql.raw(`VACUUM (ANALYZE) ${TRACE_TABLES.join(', ')}`).execute(store.db);
  return { what: 'trace tables', beforeBytes, afterBytes: await size() };
}
