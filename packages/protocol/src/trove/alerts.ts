import { bool, dbl, defineMessage, i32, i64, str } from '../message.ts';

// Alert rules per experiment and the alerts they fire (`/api/trove/v1/experiments/{id}/alert-rules`,
// `/experiments/{id}/alerts`, `/runs/{id}/alerts`).

export const ALERT_KINDS = ['threshold', 'nan_inf', 'no_improvement', 'stalled', 'run_failed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_OPS = ['>', '>=', '<', '<='] as const;
export type AlertOp = (typeof ALERT_OPS)[number];
export const ALERT_MODES = ['min', 'max'] as const;
export type AlertMode = (typeof ALERT_MODES)[number];
/** Longest rule name (characters). */
export const ALERT_RULE_NAME_MAX_LENGTH = 256;
/** Most rules one experiment may hold. */
export const ALERT_RULES_PER_EXPERIMENT_MAX = 100;

const ruleFields = {
  metric_key: str(),
  op: str(),
  value: dbl(),
  mode: str(),
  steps: i64(),
  minutes: i64(),
  enabled: bool(),
};
export const CreateAlertRule = defineMessage({ name: str(true), kind: str(true), ...ruleFields });
export const UpdateAlertRule = defineMessage({ name: str(), kind: str(), ...ruleFields });
export const ListAlerts = defineMessage({ max_results: i32(), page_token: str() });

/** A rule as the API answers it; the fields of other kinds are absent. */
export interface AlertRule {
  rule_id: string;
  experiment_id: string;
  name: string;
  kind: AlertKind;
  /** threshold, nan_inf, no_improvement: the metric; `prefix*` matches every key that starts with `prefix` (not for no_improvement). */
  metric_key?: string;
  /** threshold: fires when a point's value `op value`. */
  op?: AlertOp;
  value?: number;
  /** no_improvement: fires when the best (min or max) is `steps` or more steps behind the latest step. */
  mode?: AlertMode;
  steps?: number;
  /** stalled: a RUNNING run with no metric logged (and not started) in this many minutes. */
  minutes?: number;
  enabled: boolean;
  /** Bumped by every edit; a rule fires at most once per run and revision. */
  revision: number;
  created_by?: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
}

/** A fired alert. `value` is a number, or 'NaN' / 'Infinity' / '-Infinity'. */
export interface Alert {
  alert_id: string;
  rule_id: string;
  rule_name: string;
  kind: AlertKind;
  experiment_id: string;
  run_id: string;
  condition: string;
  metric_key?: string;
  value?: number | string;
  step?: number;
  fired_at: number;
  resolved_at?: number;
}

export interface AlertRuleResponse {
  rule: AlertRule;
}
export interface ListAlertRulesResponse {
  rules: AlertRule[];
}
export interface ListAlertsResponse {
  alerts: Alert[];
  next_page_token?: string;
}
