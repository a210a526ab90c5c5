import type { Alerts } from '@trove/protocol';
import { type AlertRuleRow, listEnabledAlertRules, readAlertRulesRevision, type StoreDb } from '@trove/store';
import type { CompiledRule } from './alert-evaluation.ts';

export function compileRule(row: AlertRuleRow): CompiledRule {
  const key = row.metric_key;
  const prefix = key?.endsWith('*') ?? false;
  return {
    id: Number(row.id),
    revision: Number(row.revision),
    workspaceId: Number(row.workspace_id),
    experimentId: Number(row.experiment_id),
    name: row.name,
    kind: row.kind as Alerts.AlertKind,
    key: key === null ? null : prefix ? key.slice(0, -1) : key,
    prefix,
    op: row.op as Alerts.AlertOp | null,
    threshold: row.threshold === null ? null : Number(row.threshold),
    mode: row.mode as Alerts.AlertMode | null,
    steps: row.steps === null ? null : Number(row.steps),
    minutes: row.minutes === null ? null : Number(row.minutes),
  };
}

/**
 * The enabled rules of every experiment, per process. The write path asks it on every batch, so
 * an experiment without rules costs one Map lookup. It is trusted for `ttlMs`; then the next
 * lookup reads `alert_meta.rules_revision` (one row) and reloads the rules only when another
 * replica changed one. A change made in this process invalidates it at once.
 */
export function createAlertRuleCache(db: StoreDb, ttlMs: number, now: () => number = Date.now) {
  let byExperiment = new Map<number, CompiledRule[]>();
  let revision = -1;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | undefined;
  // Bumped by invalidate(): a refresh that began before a local change must not mark the cache fresh.
  let generation = 0;
  let refreshingGeneration = 0;

  async function refresh(): Promise<void> {
    const started = generation;
    const current = await readAlertRulesRevision(db);
    if (current !== revision) {
      const next = new Map<number, CompiledRule[]>();
      for (const row of await listEnabledAlertRules(db)) {
        const rule = compileRule(row);
        const list = next.get(rule.experimentId);
        if (list) list.push(rule);
        else next.set(rule.experimentId, [rule]);
      }
      if (started !== generation) return;
      byExperiment = next;
      revision = current;
    }
    if (started === generation) checkedAt = now();
  }

  /** The experiment's enabled rules (undefined: none). Synchronous while the cache is fresh. */
  function rulesOf(experimentId: number): CompiledRule[] | undefined | Promise<CompiledRule[] | undefined> {
    if (now() - checkedAt < ttlMs) return byExperiment.get(experimentId);
    if (refreshing === undefined || refreshingGeneration !== generation) {
      refreshingGeneration = generation;
      const mine: Promise<void> = refresh().finally(() => {
        if (refreshing === mine) refreshing = undefined;
      });
      refreshing = mine;
    }
    return refreshing.then(() => byExperiment.get(experimentId));
  }

  function invalidate(): void {
    generation++;
    revision = -1;
    checkedAt = Number.NEGATIVE_INFINITY;
  }

  return { rulesOf, invalidate };
}

export type AlertRuleCache = ReturnType<typeof createAlertRuleCache>;
