import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Per chunk, how many distinct steps it holds (`metrics/chunk-steps.ts`), and the point count that
 * number was computed over. A chunk whose distinct steps number `last_step - first_step + 1` holds
 * every step of that range, so MLflow's step choice (`get-history-bulk-interval`) counts and indexes
 * a series' distinct steps by arithmetic over chunk metadata instead of reading its points.
 *
 * Expand only: both columns are nullable and nothing is backfilled. A replica of the previous release
 * inserts chunks without them (NULL) and extends tails without updating them (the count then differs
 * from `point_count`); readers take either as "unknown" and decode that chunk's blob.
 *
 * The index covers what the step choice reads per chunk, in step order up to a bound, so it never
 * touches the table's kilobyte rows (on SQLite columns added after the blob sit behind its overflow
 * pages).
 */
export async function up(db: Kysely<unknown>, _ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec('ALTER TABLE metric_chunks ADD COLUMN distinct_steps INTEGER');
  await exec('ALTER TABLE metric_chunks ADD COLUMN distinct_steps_count INTEGER');
  await exec(
    'CREATE INDEX metric_chunks_step_counts ON metric_chunks (series_id, first_step, seq, last_step, point_count, distinct_steps, distinct_steps_count)',
  );
}
