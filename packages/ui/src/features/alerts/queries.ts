import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type AlertRuleInput,
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
  listExperimentAlerts,
  listRunAlerts,
  updateAlertRule,
} from '../../api/alerts.ts';

export function useAlertRules(experimentId: string) {
  return useQuery({
    queryKey: ['alert-rules', experimentId],
    queryFn: ({ signal }) => listAlertRules(experimentId, signal),
  });
}

export function useExperimentAlerts(experimentId: string) {
  return useQuery({
    queryKey: ['alerts', 'experiment', experimentId],
    queryFn: ({ signal }) => listExperimentAlerts(experimentId, signal),
  });
}

export function useRunAlerts(runId: string) {
  return useQuery({ queryKey: ['alerts', 'run', runId], queryFn: ({ signal }) => listRunAlerts(runId, signal) });
}

/** Create, update and delete; each refreshes the experiment's rules. */
export function useAlertRuleMutations(experimentId: string) {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: ['alert-rules', experimentId] });
  return {
    create: useMutation({ mutationFn: (rule: AlertRuleInput) => createAlertRule(experimentId, rule), onSuccess }),
    update: useMutation({
      mutationFn: (v: { id: string; patch: Partial<AlertRuleInput> }) => updateAlertRule(experimentId, v.id, v.patch),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteAlertRule(experimentId, id), onSuccess }),
  };
}
