import {
  findAlertRule,
  findAlertStateForUpdate,
  insertAlertOnce,
  runInTransaction,
  type Store,
  type StoreDb,
  saveAlertState,
} from '@trove/store';
import { recordEvent } from '../services/registry-events.ts';
import {
  type CompiledRule,
  type EvalPoint,
  type Firing,
  firstBreach,
  foldBest,
  RUN_FAILED_CONDITION,
  valueText,
} from './alert-evaluation.ts';
import type { AlertRuleCache } from './alert-rule-cache.ts';

/** The run an alert is about: `id` is `runs.id`, `run_uuid` MLflow's id. */
export interface AlertRun {
  id: number;
  run_uuid: string;
  experiment_id: number;
}

const METRIC_KINDS = new Set(['threshold', 'nan_inf', 'no_improvement']);
/** Bound on the per-process memory of (rule, revision, run) that already fired. */
const FIRED_MEMO_MAX = 50_000;

/**
 * Fires alerts: once per (rule, revision, run), by an insert-or-ignore on `alerts`' unique key,
 * and the `alert`/`fired` event through `recordEvent` in the same transaction, so webhooks and
 * notifications go out exactly once whichever request or replica finds the condition first.
 */
export function createAlertFiring(store: Store, cache: AlertRuleCache, now: () => number = Date.now) {
  // Runs a rule already fired on, so a run that keeps breaching costs no transaction per batch.
  const fired = new Set<string>();
  const memoKey = (rule: CompiledRule, run: AlertRun) => `${rule.id}:${rule.revision}:${run.id}`;
  const remember = (key: string) => {
    if (fired.size >= FIRED_MEMO_MAX) fired.clear();
    fired.add(key);
  };

  /** In the caller's transaction. False when it had fired already, or the rule changed since it was cached. */
  async function fire(tx: StoreDb, rule: CompiledRule, run: AlertRun, f: Firing): Promise<boolean> {
    const current = await findAlertRule(tx, rule.experimentId, rule.id);
    if (!current || Number(current.revision) !== rule.revision || !current.enabled) return false;
    const firedAt = now();
    const alertId = await insertAlertOnce(tx, {
      workspace_id: rule.workspaceId,
      rule_id: rule.id,
      rule_revision: rule.revision,
      rule_name: rule.name,
      kind: rule.kind,
      experiment_id: rule.experimentId,
      run_id: run.id,
      run_uuid: run.run_uuid,
      condition: f.condition,
      metric_key: f.metricKey ?? null,
      value: f.value === undefined ? null : f.isNan ? 0 : f.value,
      is_nan: f.isNan ? 1 : 0,
      step: f.step ?? null,
      fired_at: firedAt,
    });
    if (alertId === undefined) return false;
    await recordEvent(tx, {
      workspaceId: rule.workspaceId,
      modelId: null,
      modelName: '',
      runId: run.run_uuid,
      entity: 'alert',
      action: 'fired',
      payload: {
        alert_id: String(alertId),
        rule_id: String(rule.id),
        rule_name: rule.name,
        experiment_id: String(rule.experimentId),
        run_id: run.run_uuid,
        condition: f.condition,
        ...(f.metricKey !== undefined && { metric_key: f.metricKey }),
        ...(f.value !== undefined && { value: presentValue(f.value, f.isNan === true) }),
        ...(f.step !== undefined && { step: f.step }),
      },
    });
    return true;
  }

  async function judgeNoImprovement(rule: CompiledRule, run: AlertRun, points: readonly EvalPoint[]): Promise<void> {
    if (!points.some((p) => p.isNan === 0 && p.key === rule.key)) return;
    const done = await runInTransaction(store, async (tx) => {
      const stored = await findAlertStateForUpdate(tx, rule.id, run.id);
      // A state of an earlier revision of the rule (another mode, say) starts over.
      const before = stored && stored.revision === rule.revision ? stored : undefined;
      const judged = foldBest(rule, before, points);
      if (judged.changed && judged.best)
        await saveAlertState(tx, rule.id, run.id, { revision: rule.revision, ...judged.best });
      if (!judged.firing) return false;
      await fire(tx, rule, run, judged.firing);
      return true;
    });
    if (done) remember(memoKey(rule, run));
  }

  async function judgeBatch(rules: CompiledRule[], run: AlertRun, points: readonly EvalPoint[]): Promise<void> {
    for (const rule of rules) {
      if (!METRIC_KINDS.has(rule.kind)) continue;
      const key = memoKey(rule, run);
      if (fired.has(key)) continue;
      if (rule.kind === 'no_improvement') {
        await judgeNoImprovement(rule, run, points);
        continue;
      }
      const breach = firstBreach(rule, points);
      if (!breach) continue;
      await runInTransaction(store, (tx) => fire(tx, rule, run, breach));
      remember(key);
    }
  }

  /**
   * After a batch of metrics committed: judges the run's experiment's metric rules on the batch's
   * points. Returns nothing (synchronously) when the experiment has no rules: one Map lookup.
   */
  function afterMetrics(run: AlertRun, points: readonly EvalPoint[]): Promise<void> | undefined {
    if (points.length === 0) return undefined;
    const rules = cache.rulesOf(run.experiment_id);
    if (rules === undefined) return undefined;
    if (rules instanceof Promise) return rules.then((loaded) => (loaded ? judgeBatch(loaded, run, points) : undefined));
    return judgeBatch(rules, run, points);
  }

  /**
   * Before the transaction that may move the run to FAILED (the rules are read outside it: inside,
   * only its `tx` may be used): what to do in it when the run does fail, or undefined.
   */
  async function prepareRunFailed(run: AlertRun): Promise<((tx: StoreDb) => Promise<void>) | undefined> {
    const rules = (await cache.rulesOf(run.experiment_id))?.filter((r) => r.kind === 'run_failed');
    if (!rules || rules.length === 0) return undefined;
    return async (tx) => {
      for (const rule of rules) await fire(tx, rule, run, { condition: RUN_FAILED_CONDITION });
    };
  }

  return { afterMetrics, prepareRunFailed, fire };
}

/** An alert value on the wire: a number, or 'NaN' / 'Infinity' / '-Infinity'. */
export function presentValue(value: number, isNan: boolean): number | string {
  const text = valueText(value, isNan);
  return text === String(value) ? value : text;
}

export type AlertFiring = ReturnType<typeof createAlertFiring>;
