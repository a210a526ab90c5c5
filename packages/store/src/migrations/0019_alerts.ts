import { type Kysely, sql } from 'kysely';
import type { DdlDialect } from '../dialect.ts';

/**
 * Alerts on runs (issue 15 §6). Stands alone: no other migration's tables are read or altered.
 *
 * - `alert_rules`: per experiment; `revision` is bumped by every edit and is part of an alert's
 *   key, so an edited rule may fire again on a run it already fired on.
 * - `alerts`: what fired. UNIQUE (rule_id, rule_revision, run_id) makes firing once per
 *   condition an insert-or-ignore, whatever replica or request evaluates it.
 * - `alert_state`: the best value of a `no_improvement` rule's metric per run and its step, so a
 *   batch is judged without reading the series' history.
 * - `alert_meta`: one row: `rules_revision` (bumped with any rule change; replicas poll it to
 *   refresh their rule caches) and the scheduler's lease.
 */
export async function up(db: Kysely<unknown>, ddl: DdlDialect): Promise<void> {
  const exec = (text: string) => sql.raw(text).execute(db);
  await exec(`CREATE TABLE alert_rules (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    experiment_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    metric_key TEXT,
    op TEXT,
    threshold DOUBLE PRECISION,
    mode TEXT,
    steps BIGINT,
    minutes BIGINT,
    enabled INTEGER NOT NULL DEFAULT 1,
    revision INTEGER NOT NULL DEFAULT 1,
    created_by TEXT,
    creation_time BIGINT NOT NULL,
    last_update_time BIGINT NOT NULL)`);
  await exec('CREATE UNIQUE INDEX alert_rules_by_experiment ON alert_rules (experiment_id, name)');
  await exec(`CREATE TABLE alerts (
    ${ddl.idColumn('id')},
    workspace_id INTEGER NOT NULL,
    rule_id BIGINT NOT NULL,
    rule_revision INTEGER NOT NULL,
    rule_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    experiment_id INTEGER NOT NULL,
    run_id BIGINT NOT NULL,
    run_uuid TEXT NOT NULL,
    condition TEXT NOT NULL,
    metric_key TEXT,
    value DOUBLE PRECISION,
    is_nan INTEGER NOT NULL DEFAULT 0,
    step BIGINT,
    fired_at BIGINT NOT NULL,
    resolved_at BIGINT)`);
  await exec('CREATE UNIQUE INDEX alerts_once ON alerts (rule_id, rule_revision, run_id)');
  await exec('CREATE INDEX alerts_by_experiment ON alerts (experiment_id, id)');
  await exec('CREATE INDEX alerts_by_run ON alerts (run_id, id)');
  await exec(`CREATE TABLE alert_state (
    rule_id BIGINT NOT NULL,
    run_id BIGINT NOT NULL,
    rule_revision INTEGER NOT NULL,
    best_value DOUBLE PRECISION NOT NULL,
    best_step BIGINT NOT NULL,
    PRIMARY KEY (rule_id, run_id))${ddl.clustered}`);
  await exec(`CREATE TABLE alert_meta (
    id INTEGER PRIMARY KEY,
    rules_revision BIGINT NOT NULL,
    lease_holder TEXT,
    lease_until BIGINT NOT NULL)`);
  await exec('INSERT INTO alert_meta (id, rules_revision, lease_holder, lease_until) VALUES (1, 0, NULL, 0)');
}
