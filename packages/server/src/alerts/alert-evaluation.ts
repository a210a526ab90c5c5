import { type Alerts, DOUBLE_MAX } from '@trove/protocol';

/** A rule as evaluation needs it (compiled once per cache load from its row). */
export interface CompiledRule {
  id: number;
  revision: number;
  workspaceId: number;
  experimentId: number;
  name: string;
  kind: Alerts.AlertKind;
  /** The metric key, without the trailing `*` of a prefix rule. */
  key: string | null;
  prefix: boolean;
  op: Alerts.AlertOp | null;
  threshold: number | null;
  mode: Alerts.AlertMode | null;
  steps: number | null;
  minutes: number | null;
}

/** A stored metric point (NaN as `isNan`, ±Infinity as ±DOUBLE_MAX, as the store keeps them). */
export interface EvalPoint {
  key: string;
  value: number;
  isNan: 0 | 1;
  step: number | bigint;
}

export interface Firing {
  condition: string;
  metricKey?: string;
  value?: number;
  isNan?: boolean;
  step?: number;
}

export interface Best {
  value: number;
  step: number;
}

export function matchesKey(rule: CompiledRule, key: string): boolean {
  if (rule.key === null) return false;
  return rule.prefix ? key.startsWith(rule.key) : key === rule.key;
}

/** How a stored value reads in a condition: NaN and ±Infinity by name. */
export function valueText(value: number, isNan: boolean): string {
  if (isNan) return 'NaN';
  if (value >= DOUBLE_MAX) return 'Infinity';
  if (value <= -DOUBLE_MAX) return '-Infinity';
  return String(value);
}

const isInfinite = (p: EvalPoint) => p.value >= DOUBLE_MAX || p.value <= -DOUBLE_MAX;

function breaches(op: Alerts.AlertOp, value: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/**
 * `threshold` and `nan_inf`: the first point of the batch (lowest step, then batch order) that meets
 * the rule, or undefined. NaN never breaches a threshold; ±Infinity does as the extreme it is.
 */
export function firstBreach(rule: CompiledRule, points: readonly EvalPoint[]): Firing | undefined {
  let hit: EvalPoint | undefined;
  for (const p of points) {
    if (!matchesKey(rule, p.key)) continue;
    const met =
      rule.kind === 'nan_inf'
        ? p.isNan === 1 || isInfinite(p)
        : rule.kind === 'threshold' &&
          p.isNan === 0 &&
          breaches(rule.op as Alerts.AlertOp, p.value, rule.threshold as number);
    if (met && (hit === undefined || p.step < hit.step)) hit = p;
  }
  if (!hit) return undefined;
  const shown = valueText(hit.value, hit.isNan === 1);
  const condition =
    rule.kind === 'nan_inf' ? `${hit.key} is ${shown}` : `${hit.key} ${rule.op} ${rule.threshold} (was ${shown})`;
  return { condition, metricKey: hit.key, value: hit.value, isNan: hit.isNan === 1, step: Number(hit.step) };
}

/**
 * `no_improvement`: folds the batch's points (in step order) into the best value so far and
 * judges the latest step against it. Fires when the latest step is `steps` or more past the step
 * of the best. NaN points are skipped; only a strictly better value is an improvement.
 */
export function foldBest(
  rule: CompiledRule,
  before: Best | undefined,
  points: readonly EvalPoint[],
): { best: Best | undefined; changed: boolean; latestStep: number | undefined; firing?: Firing } {
  const mine = points.filter((p) => p.isNan === 0 && matchesKey(rule, p.key));
  if (mine.length === 0) return { best: before, changed: false, latestStep: undefined };
  mine.sort((a, b) => (a.step < b.step ? -1 : a.step > b.step ? 1 : 0));
  const better = (v: number, than: number) => (rule.mode === 'max' ? v > than : v < than);
  let best = before;
  let changed = false;
  for (const p of mine) {
    if (best === undefined || better(p.value, best.value)) {
      best = { value: p.value, step: Number(p.step) };
      changed = true;
    }
  }
  const latestStep = Number(mine[mine.length - 1].step);
  const b = best as Best;
  const behind = latestStep - b.step;
  if (behind < (rule.steps as number)) return { best, changed, latestStep };
  const key = mine[0].key;
  const condition = `${key}: no new ${rule.mode} in ${behind} steps (best ${valueText(b.value, false)} at step ${b.step})`;
  return { best, changed, latestStep, firing: { condition, metricKey: key, value: b.value, step: latestStep } };
}

/** The condition text of the time and status kinds. */
export function stalledCondition(minutes: number, lastActivity: number, now: number): string {
  const idle = Math.floor((now - lastActivity) / 60_000);
  return `no metric logged for ${idle} min (limit ${minutes} min)`;
}
export const RUN_FAILED_CONDITION = 'run status became FAILED';
