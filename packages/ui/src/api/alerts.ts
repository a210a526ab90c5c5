/** Alert rules per experiment and fired alerts (`/api/trove/v1/experiments/{id}/alert-rules`, `…/alerts`, `/runs/{id}/alerts`). */
import type { Alerts } from '@trove/protocol';
import { troveGet, troveSend } from './client.ts';

export type AlertRule = Alerts.AlertRule;
export type Alert = Alerts.Alert;
/** What the rule form sends (the fields of the chosen kind). */
export type AlertRuleInput = Partial<Omit<AlertRule, 'rule_id' | 'experiment_id' | 'revision'>> & {
  name: string;
  kind: Alerts.AlertKind;
};

const rules = (experimentId: string) => `/experiments/${encodeURIComponent(experimentId)}/alert-rules`;

export const listAlertRules = (experimentId: string, signal?: AbortSignal) =>
  troveGet<Alerts.ListAlertRulesResponse>(rules(experimentId), {}, signal);
export const createAlertRule = (experimentId: string, rule: AlertRuleInput) =>
  troveSend<Alerts.AlertRuleResponse>('POST', rules(experimentId), rule);
export const updateAlertRule = (experimentId: string, ruleId: string, patch: Partial<AlertRuleInput>) =>
  troveSend<Alerts.AlertRuleResponse>('PATCH', `${rules(experimentId)}/${encodeURIComponent(ruleId)}`, patch);
export const deleteAlertRule = (experimentId: string, ruleId: string) =>
  troveSend<Record<string, never>>('DELETE', `${rules(experimentId)}/${encodeURIComponent(ruleId)}`);
export const listRunAlerts = (runId: string, signal?: AbortSignal) =>
  troveGet<Alerts.ListAlertsResponse>(`/runs/${encodeURIComponent(runId)}/alerts`, {}, signal);
export const listExperimentAlerts = (experimentId: string, signal?: AbortSignal) =>
  troveGet<Alerts.ListAlertsResponse>(
    `/experiments/${encodeURIComponent(experimentId)}/alerts`,
    { max_results: 50 },
    signal,
  );
