import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Per-chunk summaries for charts (`metrics/chunk-summary.ts`): the chunk's first, minimum,
 * maximum and last points packed like a chunk blob, and the point count they were computed over.
 * Expand only: both columns are nullable and nothing is backfilled. A replica of the previous
 * release inserts chunks without a summary (NULL) and extends tails without updating it (the
 * count then differs from `point_count`); readers take either as "no summary" and decode the blob.
 *
 * The index covers what a chart reads per chunk, summary included, so a chart over many chunks
 * never touches the table's kilobyte rows: on SQLite a column added after the blob sits behind the
 * blob's overflow pages, and reading the metadata of 39k chunks from the table took 200 ms
 * against 54 ms from this index (measured on 100 series of 391 chunks).
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`ALTER TABLE metric_chunks ADD COLUMN summary ${ddl.blob}`);
  await exec('ALTER TABLE metric_chunks ADD COLUMN summary_count INTEGER');
  await exec(
    'CREATE INDEX metric_chunks_summaries ON metric_chunks (series_id, last_step, seq, first_step, point_count, summary_count, summary)',
  );
}
