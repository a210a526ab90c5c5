import { Deployments, Lineage } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** The lineage graph and deployments of model versions (`/api/trove/v1`). */
export function registerLineageRoutes(r: Router, { lineage, deployments, auth }: Services): void {
  r.native('GET', '/lineage', Lineage.GetLineage, async ({ workspace, input, caller }) =>
    lineage.walk(workspace, input, {
      experiments: await auth.authorizer.visibleExperiments(caller, workspace),
      models: await auth.authorizer.visibleModels(caller, workspace),
    }),
  );
  r.native('POST', '/deployments', Deployments.RecordDeployment, async ({ workspace, input, actor }) =>
    deployments.record(workspace, input, actor),
  );
  // What a CD system's plain webhook can send: flat JSON or a form, `model` for the name; 201 with the record.
  r.json(
    {
      method: 'POST',
      path: '/deployments/hook',
      spec: Deployments.DeploymentHook,
      api: 'trove',
      forms: true,
      status: 201,
    },
    async ({ workspace, input, actor }) => deployments.record(workspace, { ...input, name: input.model }, actor),
  );
  r.native('GET', '/registered-models/:name/deployments', {}, async ({ workspace, params }) =>
    deployments.list(workspace, params.name),
  );
}
