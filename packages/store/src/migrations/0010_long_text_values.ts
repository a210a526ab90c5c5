import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Param and run-tag values are kept intact up to 1 MiB (MLflow truncates them at 6000 / 8000
 * characters). A PostgreSQL B-tree entry must fit in a third of a page, so the (key, value)
 * indexes refused any value over ~2.7 kB that did not compress; they become (key, prefix) indexes,
 * and PostgreSQL's search orders these values by (prefix, value) — the same order for every value,
 * read off the index and finished by an incremental sort where prefixes tie (`SearchSqlOps.textSortKeys`).
 * SQLite has no entry limit and keeps its indexes.
 *
 * The index swap drops nothing a query names: the previous release's queries stay valid (they
 * order by value without the index until its replicas are upgraded).
 */
export const TEXT_PREFIX_CHARS = 256;

export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  if (ddl.name !== 'postgres') return;
  const exec = (text: string) => sql.raw(text).execute(db);
  for (const table of ['params', 'run_tags']) {
    await exec(`CREATE INDEX ${table}_by_key_value_prefix ON ${table} (key, left(value, ${TEXT_PREFIX_CHARS}))`);
    await exec(`DROP INDEX ${table}_by_key_value`);
  }
}
