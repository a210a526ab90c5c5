import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { AlertRuleTable, AlertTable, Database } from '../schema.ts';
import { lockForUpdate } from '../transaction.ts';

export type AlertRuleRow = Selectable<AlertRuleTable>;
export type AlertRow = Selectable<AlertTable>;
/** What a rule says (the columns an edit may change); the fields of other kinds are null. */
export type AlertRuleSettings = Pick<
  AlertRuleRow,
  'name' | 'kind' | 'metric_key' | 'op' | 'threshold' | 'mode' | 'steps' | 'minutes' | 'enabled'
>;
type Db = Kysely<Database>;

// ---- rules

export async function insertAlertRule(db: Db, row: Insertable<AlertRuleTable>): Promise<AlertRuleRow> {
  const out = await db.insertInto('alert_rules').values(row).returningAll().executeTakeFirstOrThrow();
  await bumpAlertRulesRevision(db);
  return out;
}

export async function findAlertRule(db: Db, experimentId: number, id: number): Promise<AlertRuleRow | undefined> {
  return db
    .selectFrom('alert_rules')
    .selectAll()
    .where('id', '=', id)
    .where('experiment_id', '=', experimentId)
    .executeTakeFirst();
}

export async function findAlertRuleByName(
  db: Db,
  experimentId: number,
  name: string,
): Promise<AlertRuleRow | undefined> {
  return db
    .selectFrom('alert_rules')
    .selectAll()
    .where('experiment_id', '=', experimentId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function listAlertRules(db: Db, experimentId: number): Promise<AlertRuleRow[]> {
  return db.selectFrom('alert_rules').selectAll().where('experiment_id', '=', experimentId).orderBy('id').execute();
}

/** Every enabled rule of the server (all workspaces): what a replica's rule cache holds. */
export async function listEnabledAlertRules(db: Db, kind?: string): Promise<AlertRuleRow[]> {
  let q = db.selectFrom('alert_rules').selectAll().where('enabled', '=', 1);
  if (kind !== undefined) q = q.where('kind', '=', kind);
  return q.orderBy('id').execute();
}

/** Applies an edit and bumps the rule's revision (so it may fire again on runs it fired on). */
export async function updateAlertRule(
  db: Db,
  id: number,
  set: Updateable<AlertRuleTable>,
): Promise<AlertRuleRow | undefined> {
  const out = await db
    .updateTable('alert_rules')
    .set((eb) => ({ ...set, revision: eb('revision', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  await bumpAlertRulesRevision(db);
  return out;
}

export async function deleteAlertRule(db: Db, id: number): Promise<boolean> {
  const res = await db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('alert_state').where('rule_id', '=', id).execute();
  await bumpAlertRulesRevision(db);
  return Number(res.numDeletedRows) > 0;
}

// ---- the revision replicas poll, and the scheduler lease

async function bumpAlertRulesRevision(db: Db): Promise<void> {
  await db
    .updateTable('alert_meta')
    .set((eb) => ({ rules_revision: eb('rules_revision', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export async function readAlertRulesRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('alert_meta').select('rules_revision').where('id', '=', 1).executeTakeFirst();
  return Number(row?.rules_revision ?? 0);
}

/**
 * Takes (or renews) the alert scheduler's lease: a guarded UPDATE, so of several replicas only one
 * holds it at a time. True when `holder` holds it until `until`.
 */
export async function takeAlertSchedulerLease(db: Db, holder: string, now: number, until: number): Promise<boolean> {
  const res = await db
    .updateTable('alert_meta')
    .set({ lease_holder: holder, lease_until: until })
    .where('id', '=', 1)
    .where((eb) => eb.or([eb('lease_until', '<', now), eb('lease_holder', '=', holder)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function releaseAlertSchedulerLease(db: Db, holder: string): Promise<void> {
  await db
    .updateTable('alert_meta')
    .set({ lease_holder: null, lease_until: 0 })
    .where('id', '=', 1)
    .where('lease_holder', '=', holder)
    .execute();
}

// ---- fired alerts

/** Insert-or-ignore on (rule, revision, run): the new alert's id, or undefined when it had fired already. */
export async function insertAlertOnce(db: Db, row: Insertable<AlertTable>): Promise<number | undefined> {
  const out = await db
    .insertInto('alerts')
    .values(row)
    .onConflict((oc) => oc.columns(['rule_id', 'rule_revision', 'run_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return out === undefined ? undefined : Number(out.id);
}

export async function listRunAlerts(db: Db, runId: number): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().where('run_id', '=', runId).orderBy('id', 'desc').limit(1000).execute();
}

/** Newest first, keyset on id. */
export async function listExperimentAlerts(
  db: Db,
  experimentId: number,
  limit: number,
  beforeId?: number,
): Promise<AlertRow[]> {
  let q = db.selectFrom('alerts').selectAll().where('experiment_id', '=', experimentId);
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** Which of these runs have fired alerts, with how many (the runs table's badge). */
export async function countAlertsByRun(db: Db, runIds: number[]): Promise<Map<number, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('alerts')
    .select(['run_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', 'in', runIds)
    .groupBy('run_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.run_id), Number(r.n)]));
}

// ---- no_improvement state

export interface AlertBest {
  revision: number;
  value: number;
  step: number;
}

export async function findAlertStateForUpdate(db: Db, ruleId: number, runId: number): Promise<AlertBest | undefined> {
  const row = await db
    .selectFrom('alert_state')
    .select(['rule_revision', 'best_value', 'best_step'])
    .where('rule_id', '=', ruleId)
    .where('run_id', '=', runId)
    .$call(lockForUpdate(db))
    .executeTakeFirst();
  return row && { revision: row.rule_revision, value: Number(row.best_value), step: Number(row.best_step) };
}

export async function saveAlertState(db: Db, ruleId: number, runId: number, best: AlertBest): Promise<void> {
  await db
    .insertInto('alert_state')
    .values({
      rule_id: ruleId,
      run_id: runId,
      rule_revision: best.revision,
      best_value: best.value,
      best_step: best.step,
    })
    .onConflict((oc) =>
      oc
        .columns(['rule_id', 'run_id'])
        .doUpdateSet({ rule_revision: best.revision, best_value: best.value, best_step: best.step }),
    )
    .execute();
}

// ---- stalled runs (the scheduler)

/**
 * RUNNING, active runs of the experiment with no activity since `cutoff` (their start, and the
 * latest timestamp of any of their metric series) on which this rule revision has not fired.
 */
export async function findStalledRuns(
  db: Db,
  rule: { id: number; revision: number; experimentId: number },
  cutoff: number,
  limit: number,
): Promise<{ id: number; run_uuid: string; start_time: number; last_activity: number | null }[]> {
  const rows = await db
    .selectFrom('runs')
    .select((eb) => [
      'runs.id',
      'runs.run_uuid',
      'runs.start_time',
      eb
        .selectFrom('metric_series')
        .select((s) => s.fn.max('metric_series.timestamp').as('t'))
        .whereRef('metric_series.run_id', '=', 'runs.id')
        .as('last_activity'),
    ])
    .where('runs.experiment_id', '=', rule.experimentId)
    .where('runs.status', '=', 'RUNNING')
    .where('runs.lifecycle_stage', '=', 'active')
    .where('runs.start_time', '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('metric_series')
            .select('metric_series.run_id')
            .whereRef('metric_series.run_id', '=', 'runs.id')
            .where('metric_series.timestamp', '>=', cutoff),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('alerts')
            .select('alerts.id')
            .whereRef('alerts.run_id', '=', 'runs.id')
            .where('alerts.rule_id', '=', rule.id)
            .where('alerts.rule_revision', '=', rule.revision),
        ),
      ),
    )
    .orderBy('runs.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    run_uuid: r.run_uuid,
    start_time: Number(r.start_time),
    last_activity: r.last_activity === null ? null : Number(r.last_activity),
  }));
}
