import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Trace search at volume (measured over 1M traces: docs/benchmarks.md, "Traces"). Expand only.
 *
 * - `(experiment_id, state, timestamp_ms, id)`: a state filter reads its traces newest first
 *   instead of walking the experiment's until a rare state (IN_PROGRESS, ERROR) fills a page.
 * - `(run_uuid, timestamp_ms, id)`: a run's traces newest first (the `run_id` filter, the run
 *   page); it replaces 0014's `(run_uuid)`, which was never released.
 *
 * Free text over the previews (`text`, `request_preview`, `response_preview` with LIKE/ILIKE)
 * without reading every trace of an experiment:
 * - SQLite: `trace_text`, an FTS5 index with the trigram tokenizer (substrings, not words, so any
 *   `%…%` pattern with 3+ literal characters can use it) over `traces`' two preview columns
 *   (external content: the text is not stored twice). `detail=none` keeps it at about a fifth of
 *   the size with positions (measured: 237 against 1,290 bytes per trace); a pattern's trigrams are
 *   ANDed, which can only over-select, and the search re-checks the real predicate on the row.
 *   Triggers keep it in step with every write of `traces`, whatever code path makes it.
 * - PostgreSQL: GIN indexes with `pg_trgm` on both preview columns, which the planner uses for
 *   LIKE/ILIKE itself. pg_trgm is a trusted contrib extension; where it is missing or the role may
 *   not create it, the migration goes on without these indexes (search stays correct, only slower).
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec('CREATE INDEX traces_by_experiment_state ON traces (experiment_id, state, timestamp_ms, id)');
  await exec('CREATE INDEX traces_by_run_time ON traces (run_uuid, timestamp_ms, id)');
  if (ddl.name === 'sqlite') {
    await exec(`CREATE VIRTUAL TABLE trace_text USING fts5(request_preview, response_preview,
      content='traces', content_rowid='id', tokenize='trigram', detail=none)`);
    const add = `INSERT INTO trace_text(rowid, request_preview, response_preview)
      VALUES (new.id, new.request_preview, new.response_preview);`;
    const remove = `INSERT INTO trace_text(trace_text, rowid, request_preview, response_preview)
      VALUES ('delete', old.id, old.request_preview, old.response_preview);`;
    await exec(`CREATE TRIGGER traces_text_insert AFTER INSERT ON traces BEGIN ${add} END`);
    await exec(`CREATE TRIGGER traces_text_delete AFTER DELETE ON traces BEGIN ${remove} END`);
    await exec(
      // Ingest rewrites the previews on every batch of a trace's spans, mostly unchanged: only a change re-indexes.
      `CREATE TRIGGER traces_text_update AFTER UPDATE OF request_preview, response_preview ON traces
        WHEN old.request_preview IS NOT new.request_preview OR old.response_preview IS NOT new.response_preview
        BEGIN ${remove} ${add} END`,
    );
    await exec(`INSERT INTO trace_text(trace_text) VALUES ('rebuild')`);
    return;
  }
  await exec(`DO $$ BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%): trace free-text search runs without its index', SQLERRM;
  END $$`);
  await exec(`DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
      CREATE INDEX traces_request_trgm ON traces USING gin (request_preview gin_trgm_ops);
      CREATE INDEX traces_response_trgm ON traces USING gin (response_preview gin_trgm_ops);
    END IF;
  END $$`);
}
