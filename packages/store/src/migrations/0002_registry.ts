import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * The model registry. Models have a surrogate id so a rename touches one row; `next_version` is
 * the race-free version counter (incremented with UPDATE … RETURNING inside the creating
 * transaction, which locks the row on every engine).
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE registered_models (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    user_id TEXT,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL,
    next_version INTEGER NOT NULL,
    UNIQUE (workspace_id, name))`);
  await exec(`CREATE TABLE registered_model_tags (
    model_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (model_id, key))${ddl.clustered}`);
  await exec(`CREATE TABLE model_versions (
    model_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL,
    description TEXT,
    user_id TEXT,
    current_stage TEXT NOT NULL,
    source TEXT NOT NULL,
    storage_location TEXT,
    run_id TEXT,
    run_link TEXT,
    status_message TEXT,
    logged_model_id TEXT,
    deleted INTEGER NOT NULL,
    PRIMARY KEY (model_id, version))${ddl.clustered}`);
  await exec('CREATE INDEX model_versions_by_run ON model_versions (run_id)');
  await exec(`CREATE TABLE model_version_tags (
    model_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (model_id, version, key))${ddl.clustered}`);
  await exec(`CREATE TABLE registered_model_aliases (
    model_id INTEGER NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (model_id, alias))${ddl.clustered}`);
  await upEvents(db, ddl);
}

/**
 * The durable event log of the registry: the activity log the API shows and the outbox webhook
 * deliveries are made from. Written in the same transaction as the change it records.
 */
export async function upEvents(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  await sql
    .raw(`CREATE TABLE registry_events (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    model_id INTEGER,
    model_name TEXT NOT NULL,
    version INTEGER,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT,
    payload TEXT NOT NULL,
    time BIGINT NOT NULL)`)
    .execute(db);
  await sql.raw('CREATE INDEX registry_events_by_model ON registry_events (model_id, id)').execute(db);
}
