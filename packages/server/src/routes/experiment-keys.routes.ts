import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Every key an experiment's runs have logged (`/api/trove/v1/experiments/{id}/keys`), for column choosers and filter suggestions. */
export function registerExperimentKeyRoutes(r: Router, { experimentKeys }: Services): void {
  r.native('GET', '/experiments/:experiment_id/keys', {}, async ({ workspace, params }) =>
    experimentKeys.list(workspace, params.experiment_id),
  );
}
