import { Alerts, alreadyExists, invalidParam, notFound } from '@trove/protocol';
import {
  type AlertRow,
  type AlertRuleRow,
  deleteAlertRule,
  findAlertRule,
  findAlertRuleByName,
  insertAlertRule,
  listAlertRules,
  listExperimentAlerts,
  listRunAlerts,
  runInTransaction,
  type Store,
  type StoreDb,
  updateAlertRule,
} from '@trove/store';
import { presentValue } from '../alerts/alert-firing.ts';
import type { AlertRuleCache } from '../alerts/alert-rule-cache.ts';
import { type AlertRuleInput, inputOf, readAlertRule } from '../alerts/alert-rule-input.ts';
import type { ExperimentService } from './experiment.service.ts';
import { decodeIdToken, encodeIdToken, pageSize } from './offset-token.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

export function presentRule(row: AlertRuleRow): Alerts.AlertRule {
  return {
    rule_id: String(row.id),
    experiment_id: String(row.experiment_id),
    name: row.name,
    kind: row.kind as Alerts.AlertKind,
    ...(row.metric_key !== null && { metric_key: row.metric_key }),
    ...(row.op !== null && { op: row.op as Alerts.AlertOp }),
    ...(row.threshold !== null && { value: Number(row.threshold) }),
    ...(row.mode !== null && { mode: row.mode as Alerts.AlertMode }),
    ...(row.steps !== null && { steps: Number(row.steps) }),
    ...(row.minutes !== null && { minutes: Number(row.minutes) }),
    enabled: row.enabled === 1,
    revision: Number(row.revision),
    ...(row.created_by !== null && { created_by: row.created_by }),
    creation_timestamp: Number(row.creation_time),
    last_updated_timestamp: Number(row.last_update_time),
  };
}

export function presentAlert(row: AlertRow): Alerts.Alert {
  return {
    alert_id: String(row.id),
    rule_id: String(row.rule_id),
    rule_name: row.rule_name,
    kind: row.kind as Alerts.AlertKind,
    experiment_id: String(row.experiment_id),
    run_id: row.run_uuid,
    condition: row.condition,
    ...(row.metric_key !== null && { metric_key: row.metric_key }),
    ...((row.value !== null || row.is_nan === 1) && { value: presentValue(Number(row.value), row.is_nan === 1) }),
    ...(row.step !== null && { step: Number(row.step) }),
    fired_at: Number(row.fired_at),
    ...(row.resolved_at !== null && { resolved_at: Number(row.resolved_at) }),
  };
}

function ruleIdOf(id: string): number {
  const n = Number(id);
  if (!/^[0-9]{1,15}$/.test(id) || !Number.isSafeInteger(n))
    throw invalidParam(`Invalid alert rule id '${id.slice(0, 64)}'.`);
  return n;
}

/** Alert rules per experiment (CRUD) and the alerts they fired. Firing itself: `alerts/alert-firing.ts`. */
export function createAlertService(
  store: Store,
  experiments: ExperimentService,
  runs: RunService,
  cache: AlertRuleCache,
) {
  const { db } = store;

  async function nameFree(tx: StoreDb, experimentId: number, name: string, except?: number): Promise<void> {
    const other = await findAlertRuleByName(tx, experimentId, name);
    if (other && Number(other.id) !== except)
      throw alreadyExists(`An alert rule named '${name}' already exists in experiment ${experimentId}.`);
  }

  /** `experiment` is resolved before the transaction: inside it only `tx` may be used. */
  async function ruleOf(tx: StoreDb, experiment: { experiment_id: number }, experimentId: string, ruleId: string) {
    const row = await findAlertRule(tx, experiment.experiment_id, ruleIdOf(ruleId));
    if (!row) throw notFound(`No alert rule with id=${ruleId} in experiment ${experimentId}.`);
    return row;
  }

  async function create(ws: Workspace, experimentId: string, input: AlertRuleInput, actor: string | undefined) {
    const columns = readAlertRule(input);
    const experiment = await experiments.getRow(ws, experimentId);
    const now = Date.now();
    const row = await runInTransaction(store, async (tx) => {
      await nameFree(tx, experiment.experiment_id, columns.name);
      if ((await listAlertRules(tx, experiment.experiment_id)).length >= Alerts.ALERT_RULES_PER_EXPERIMENT_MAX)
        throw invalidParam(`An experiment may hold at most ${Alerts.ALERT_RULES_PER_EXPERIMENT_MAX} alert rules.`);
      return insertAlertRule(tx, {
        ...columns,
        workspace_id: ws.id,
        experiment_id: experiment.experiment_id,
        revision: 1,
        created_by: actor ?? null,
        creation_time: now,
        last_update_time: now,
      });
    });
    cache.invalidate();
    return { rule: presentRule(row) };
  }

  async function list(ws: Workspace, experimentId: string): Promise<Alerts.ListAlertRulesResponse> {
    const experiment = await experiments.getRow(ws, experimentId);
    return { rules: (await listAlertRules(db, experiment.experiment_id)).map(presentRule) };
  }

  async function update(ws: Workspace, experimentId: string, ruleId: string, input: AlertRuleInput) {
    const experiment = await experiments.getRow(ws, experimentId);
    const row = await runInTransaction(store, async (tx) => {
      const current = await ruleOf(tx, experiment, experimentId, ruleId);
      const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const columns = readAlertRule({ ...inputOf(current), ...defined });
      await nameFree(tx, Number(current.experiment_id), columns.name, Number(current.id));
      return updateAlertRule(tx, Number(current.id), { ...columns, last_update_time: Date.now() });
    });
    cache.invalidate();
    if (!row) throw notFound(`No alert rule with id=${ruleId} in experiment ${experimentId}.`);
    return { rule: presentRule(row) };
  }

  async function remove(ws: Workspace, experimentId: string, ruleId: string): Promise<Record<string, never>> {
    const experiment = await experiments.getRow(ws, experimentId);
    await runInTransaction(store, async (tx) => {
      const current = await ruleOf(tx, experiment, experimentId, ruleId);
      await deleteAlertRule(tx, Number(current.id));
    });
    cache.invalidate();
    return {};
  }

  async function runAlerts(ws: Workspace, runUuid: string): Promise<Alerts.ListAlertsResponse> {
    const run = await runs.getRow(ws, runUuid);
    return { alerts: (await listRunAlerts(db, run.id)).map(presentAlert) };
  }

  async function experimentAlerts(
    ws: Workspace,
    experimentId: string,
    input: { max_results?: number | bigint; page_token?: string },
  ): Promise<Alerts.ListAlertsResponse> {
    const experiment = await experiments.getRow(ws, experimentId);
    const size = pageSize(input.max_results);
    const rows = await listExperimentAlerts(db, experiment.experiment_id, size + 1, decodeIdToken(input.page_token));
    const page = rows.slice(0, size);
    return {
      alerts: page.map(presentAlert),
      ...(rows.length > size && { next_page_token: encodeIdToken(Number(page[page.length - 1].id)) }),
    };
  }

  return { create, list, update, remove, runAlerts, experimentAlerts };
}

export type AlertService = ReturnType<typeof createAlertService>;
