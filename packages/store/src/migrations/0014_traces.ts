import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';
import { TEXT_PREFIX_CHARS } from './0010_long_text_values.ts';

/**
 * GenAI traces (issue 14): MLflow's trace info (V2 and V3), its tags and request metadata, the
 * spans themselves (kept here, so reading a trace never needs an artifact round trip), and
 * assessments. Expand only: new tables.
 *
 * - `traces.id` is the narrow surrogate key the child tables use; `trace_id` is MLflow's id
 *   (`request_id` in V2: 32 hex digits; `tr-` + 32 hex in V3 and OTLP).
 * - `state` is one of OK, ERROR, IN_PROGRESS, STATE_UNSPECIFIED (V2's TRACE_STATUS_UNSPECIFIED
 *   and V3's STATE_UNSPECIFIED are the same state).
 * - Columns mirrored from tags/metadata for the trace list and its indexes: `name`
 *   (`mlflow.traceName`), `run_uuid` (`mlflow.sourceRun`), the request/response previews and token
 *   counts. The tag and metadata rows stay the source of truth MLflow's APIs answer from.
 * - `trace_spans.content` is the span as the client sent it (JSON text: MLflow 2's span dict, or
 *   an OTLP span in MLflow 3's dict form, `spans_format` on the trace says which), so a trace
 *   is given back exactly; the other span columns serve the viewer and its indexes. MLflow 2's
 *   `traces.json` also holds the root's `request` and `response`: kept as JSON text beside it.
 * - `trace_spans` is a rowid table on SQLite, not clustered like the key/value tables: a span row
 *   is often over the ~1 kB a WITHOUT ROWID row keeps in its page, and each such row took an
 *   overflow page (measured: twice the file size for LLM-sized spans, 30% slower inserts).
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE traces (
    ${ddl.idColumn('id')},
    trace_id TEXT NOT NULL UNIQUE,
    experiment_id BIGINT NOT NULL,
    timestamp_ms BIGINT NOT NULL,
    execution_time_ms BIGINT,
    state TEXT NOT NULL,
    name TEXT,
    run_uuid TEXT,
    client_request_id TEXT,
    request_preview TEXT,
    response_preview TEXT,
    input_tokens BIGINT,
    output_tokens BIGINT,
    total_tokens BIGINT,
    span_count INTEGER NOT NULL DEFAULT 0,
    spans_format TEXT,
    request_json TEXT,
    response_json TEXT)`);
  await exec('CREATE INDEX traces_by_experiment_time ON traces (experiment_id, timestamp_ms, id)');
  for (const table of ['trace_tags', 'trace_metadata']) {
    await exec(`CREATE TABLE ${table} (
      trace_pk BIGINT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (trace_pk, key))${ddl.clustered}`);
    await exec(
      ddl.name === 'postgres'
        ? `CREATE INDEX ${table}_by_key_value ON ${table} (key, substr(value, 1, ${TEXT_PREFIX_CHARS}))`
        : `CREATE INDEX ${table}_by_key_value ON ${table} (key, value)`,
    );
  }
  await exec(`CREATE TABLE trace_spans (
    trace_pk BIGINT NOT NULL,
    span_id TEXT NOT NULL,
    parent_span_id TEXT,
    name TEXT,
    span_type TEXT,
    status TEXT,
    start_time_ns BIGINT,
    end_time_ns BIGINT,
    content TEXT NOT NULL,
    PRIMARY KEY (trace_pk, span_id))`);
  await exec(`CREATE TABLE trace_assessments (
    assessment_id TEXT NOT NULL PRIMARY KEY,
    trace_pk BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    span_id TEXT,
    run_uuid TEXT,
    valid INTEGER NOT NULL DEFAULT 1,
    overrides TEXT,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL,
    content TEXT NOT NULL)`);
  await exec('CREATE INDEX trace_assessments_by_trace ON trace_assessments (trace_pk, creation_time)');
}
