import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Identity, access control and audit (issue 12). Expand only: new tables, nothing existing changes.
 *
 * - `users` are people and service accounts (`kind`); `password_hash` is argon2id (PHC string) or
 *   NULL for accounts that sign in only through SSO or only with tokens.
 * - `api_tokens` store a SHA-256 of the secret, never the secret; a token may be capped to one
 *   workspace and one role.
 * - Grants name a principal as (`principal_kind`, `principal_id`): a user or a group.
 * - `audit_log` is append-only: triggers refuse UPDATE and DELETE on both databases.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE users (
    ${ddl.idColumn('id')},
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'user',
    display_name TEXT,
    email TEXT,
    oidc_subject TEXT UNIQUE,
    creation_time BIGINT NOT NULL,
    last_login_time BIGINT)`);
  await exec(`CREATE TABLE user_groups (
    ${ddl.idColumn('id')},
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    creation_time BIGINT NOT NULL)`);
  await exec(`CREATE TABLE group_members (
    group_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id))${ddl.clustered}`);
  await exec('CREATE INDEX group_members_user ON group_members (user_id)');
  await exec(`CREATE TABLE api_tokens (
    ${ddl.idColumn('id')},
    user_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    workspace_id BIGINT,
    role TEXT,
    creation_time BIGINT NOT NULL,
    expires_time BIGINT,
    last_used_time BIGINT,
    revoked_time BIGINT)`);
  await exec('CREATE INDEX api_tokens_user ON api_tokens (user_id)');
  await exec(`CREATE TABLE user_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    csrf_token TEXT NOT NULL,
    creation_time BIGINT NOT NULL,
    expires_time BIGINT NOT NULL)`);
  await exec(`CREATE TABLE workspace_members (
    workspace_id BIGINT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_id BIGINT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (workspace_id, principal_kind, principal_id))${ddl.clustered}`);
  // TEXT: MLflow's permission API accepts any experiment id, existing or not; an existing
  // experiment's grants are keyed by its id as decimal text.
  await exec(`CREATE TABLE experiment_permissions (
    experiment_id TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_id BIGINT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (experiment_id, principal_kind, principal_id))${ddl.clustered}`);
  await exec(`CREATE TABLE registered_model_permissions (
    workspace_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_id BIGINT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (workspace_id, name, principal_kind, principal_id))${ddl.clustered}`);
  await exec(`CREATE TABLE audit_log (
    ${ddl.idColumn('id')},
    time BIGINT NOT NULL,
    workspace_id BIGINT,
    actor TEXT,
    address TEXT,
    request_id TEXT,
    action TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT,
    status INTEGER,
    before_value TEXT,
    after_value TEXT)`);
  await exec('CREATE INDEX audit_log_time ON audit_log (time)');
  await exec('CREATE INDEX audit_log_actor ON audit_log (actor, time)');
  await exec('CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, time)');
  if (ddl.name === 'postgres') {
    await exec(`CREATE FUNCTION trove_audit_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql`);
    await exec(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION trove_audit_append_only()`);
  } else {
    await exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    await exec(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
  }
}
