import { Alerts } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Alert rules per experiment and the alerts they fired (`/api/trove/v1`). */
export function registerAlertRoutes(r: Router, { alerts }: Services): void {
  r.native('GET', '/experiments/:experiment_id/alert-rules', {}, async ({ workspace, params }) =>
    alerts.list(workspace, params.experiment_id),
  );
  r.native(
    'POST',
    '/experiments/:experiment_id/alert-rules',
    Alerts.CreateAlertRule,
    async ({ workspace, params, input, actor }) => alerts.create(workspace, params.experiment_id, input, actor),
  );
  r.native(
    'PATCH',
    '/experiments/:experiment_id/alert-rules/:rule_id',
    Alerts.UpdateAlertRule,
    async ({ workspace, params, input }) => alerts.update(workspace, params.experiment_id, params.rule_id, input),
  );
  r.native('DELETE', '/experiments/:experiment_id/alert-rules/:rule_id', {}, async ({ workspace, params }) =>
    alerts.remove(workspace, params.experiment_id, params.rule_id),
  );
  r.native('GET', '/experiments/:experiment_id/alerts', Alerts.ListAlerts, async ({ workspace, params, input }) =>
    alerts.experimentAlerts(workspace, params.experiment_id, input),
  );
  r.native('GET', '/runs/:run_id/alerts', {}, async ({ workspace, params }) =>
    alerts.runAlerts(workspace, params.run_id),
  );
}
