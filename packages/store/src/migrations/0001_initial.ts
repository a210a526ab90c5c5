import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

// Portable DDL: INTEGER/BIGINT/TEXT/DOUBLE types that SQLite and PostgreSQL both accept.
// Auto-increment ids and clustered (WITHOUT ROWID) tables are spelled by the dialect.
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const idColumn = ddl.idColumn;
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE workspaces (
    ${idColumn('id')},
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    creation_time BIGINT NOT NULL,
    default_experiment_id INTEGER)`);
  await exec(`CREATE TABLE experiments (
    ${idColumn('experiment_id')},
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    artifact_location TEXT NOT NULL,
    lifecycle_stage TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL,
    deleted_time BIGINT,
    UNIQUE (workspace_id, name))`);
  await exec(`CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (experiment_id, key))`);
  await exec(`CREATE TABLE runs (
    ${idColumn('id')},
    run_uuid TEXT NOT NULL UNIQUE,
    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
    name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    status TEXT NOT NULL,
    start_time BIGINT NOT NULL,
    end_time BIGINT,
    artifact_uri TEXT NOT NULL,
    lifecycle_stage TEXT NOT NULL,
    deleted_time BIGINT)`);
  // lifecycle_stage rides along so view-type checks are answered from the index.
  await exec('CREATE INDEX runs_by_experiment_start ON runs (experiment_id, start_time, run_uuid, lifecycle_stage)');
  await exec(`CREATE TABLE params (
    run_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    value_type TEXT NOT NULL,
    PRIMARY KEY (run_id, key))${ddl.clustered}`);
  await exec('CREATE INDEX params_by_key_value ON params (key, value)');
  await exec(`CREATE TABLE run_tags (
    run_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key))${ddl.clustered}`);
  await exec('CREATE INDEX run_tags_by_key_value ON run_tags (key, value)');
  await exec(`CREATE TABLE metric_series (
    ${idColumn('id')},
    run_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    is_nan INTEGER NOT NULL,
    step BIGINT NOT NULL,
    timestamp BIGINT NOT NULL,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    point_count BIGINT NOT NULL,
    UNIQUE (run_id, key))`);
  // Covering for metric filters and ordering; is_nan first so NaN rows form their own range.
  await exec('CREATE INDEX metric_series_by_key_nan_value ON metric_series (key, is_nan, value, run_id)');
  await exec(`CREATE TABLE metric_points (
    series_id INTEGER NOT NULL,
    timestamp BIGINT NOT NULL,
    step BIGINT NOT NULL,
    is_nan INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    model_id TEXT,
    dataset_name TEXT,
    dataset_digest TEXT,
    PRIMARY KEY (series_id, timestamp, step, is_nan, value))${ddl.clustered}`);
  await exec('CREATE INDEX metric_points_by_step ON metric_points (series_id, step)');
  await exec(`CREATE TABLE datasets (
    ${idColumn('id')},
    experiment_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source TEXT NOT NULL,
    schema TEXT,
    profile TEXT,
    UNIQUE (experiment_id, name, digest))`);
  await exec(`CREATE TABLE run_inputs (
    run_id INTEGER NOT NULL,
    dataset_id INTEGER NOT NULL,
    tags_json TEXT NOT NULL,
    PRIMARY KEY (run_id, dataset_id))`);
  await exec(`CREATE TABLE run_model_edges (
    run_id INTEGER NOT NULL,
    model_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    step BIGINT NOT NULL,
    PRIMARY KEY (run_id, direction, model_id, step))`);
  await exec(`CREATE TABLE logged_models (
    model_id TEXT PRIMARY KEY,
    experiment_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    artifact_uri TEXT NOT NULL,
    status TEXT NOT NULL,
    status_message TEXT,
    model_type TEXT,
    source_run_id TEXT,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL,
    lifecycle_stage TEXT NOT NULL)`);
  await exec('CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_time)');
  for (const table of ['logged_model_tags', 'logged_model_params']) {
    await exec(`CREATE TABLE ${table} (
      model_id TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (model_id, key))`);
  }
  await exec(`CREATE TABLE logged_model_metrics (
    model_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    is_nan INTEGER NOT NULL,
    timestamp BIGINT NOT NULL,
    step BIGINT NOT NULL,
    run_id TEXT,
    dataset_name TEXT,
    dataset_digest TEXT)`);
  await exec('CREATE INDEX logged_model_metrics_by_model ON logged_model_metrics (model_id, key)');
}
