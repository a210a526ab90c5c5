import { Alerts, invalidParam, validateKey } from '@trove/protocol';
import type { AlertRuleRow, AlertRuleSettings } from '@trove/store';

/** A rule as sent: create sends all of it, update any part. */
export interface AlertRuleInput {
  name?: string;
  kind?: string;
  metric_key?: string;
  op?: string;
  value?: number;
  mode?: string;
  steps?: number | bigint;
  minutes?: number | bigint;
  enabled?: boolean;
}

/** The columns a valid rule stores, its kind one Trove knows. */
export type AlertRuleColumns = AlertRuleSettings & { kind: Alerts.AlertKind };

const METRIC_KINDS: readonly string[] = ['threshold', 'nan_inf', 'no_improvement'];
const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

function positiveWhole(v: number | bigint | undefined, field: string, kind: string): number {
  if (v === undefined) throw invalidParam(`A '${kind}' alert rule needs '${field}' (a whole number, at least 1).`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw invalidParam(`Invalid value ${String(v)} for '${field}': it must be a whole number, at least 1.`);
  return n;
}

/** The stored rule as input, so an update can lay its fields over it. */
export function inputOf(row: AlertRuleRow): AlertRuleInput {
  const opt = <T>(v: T | null) => (v === null ? undefined : v);
  return {
    name: row.name,
    kind: row.kind,
    metric_key: opt(row.metric_key),
    op: opt(row.op),
    value: opt(row.threshold) ?? undefined,
    mode: opt(row.mode),
    steps: row.steps === null ? undefined : Number(row.steps),
    minutes: row.minutes === null ? undefined : Number(row.minutes),
    enabled: row.enabled === 1,
  };
}

/** Checks a whole rule; every refusal is INVALID_PARAMETER_VALUE naming the field. */
export function readAlertRule(input: AlertRuleInput): AlertRuleColumns {
  const name = (input.name ?? '').trim();
  if (name === '') throw invalidParam("Missing value for required parameter 'name'.");
  if (name.length > Alerts.ALERT_RULE_NAME_MAX_LENGTH)
    throw invalidParam(`Alert rule name is longer than ${Alerts.ALERT_RULE_NAME_MAX_LENGTH} characters.`);
  const kind = input.kind ?? '';
  if (!(Alerts.ALERT_KINDS as readonly string[]).includes(kind))
    throw invalidParam(`Invalid alert rule kind '${kind}': expected one of ${quoted(Alerts.ALERT_KINDS)}.`);
  const out: AlertRuleColumns = {
    name,
    kind: kind as Alerts.AlertKind,
    metric_key: null,
    op: null,
    threshold: null,
    mode: null,
    steps: null,
    minutes: null,
    enabled: input.enabled === false ? 0 : 1,
  };
  if (METRIC_KINDS.includes(kind)) {
    const key = input.metric_key ?? '';
    if (key === '' || key === '*') throw invalidParam(`A '${kind}' alert rule needs 'metric_key'.`);
    const prefix = key.endsWith('*');
    if (prefix && kind === 'no_improvement')
      throw invalidParam("A 'no_improvement' alert rule watches one metric: 'metric_key' cannot end with '*'.");
    // A prefix is checked as the start of a key (`val/*` is fine though `val/` alone is not a key).
    validateKey(prefix ? `${key.slice(0, -1)}x` : key, 'metric key');
    out.metric_key = key;
  }
  if (kind === 'threshold') {
    if (!(Alerts.ALERT_OPS as readonly string[]).includes(input.op ?? ''))
      throw invalidParam(`A 'threshold' alert rule needs 'op', one of ${quoted(Alerts.ALERT_OPS)}.`);
    if (input.value === undefined) throw invalidParam("A 'threshold' alert rule needs 'value'.");
    if (!Number.isFinite(input.value))
      throw invalidParam(`Invalid value ${String(input.value)} for 'value': a threshold must be a finite number.`);
    out.op = input.op as string;
    out.threshold = input.value;
  }
  if (kind === 'no_improvement') {
    if (!(Alerts.ALERT_MODES as readonly string[]).includes(input.mode ?? ''))
      throw invalidParam(`A 'no_improvement' alert rule needs 'mode', one of ${quoted(Alerts.ALERT_MODES)}.`);
    out.mode = input.mode as string;
    out.steps = positiveWhole(input.steps, 'steps', kind);
  }
  if (kind === 'stalled') out.minutes = positiveWhole(input.minutes, 'minutes', kind);
  return out;
}
