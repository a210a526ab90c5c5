import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';

/** Every key an experiment's runs have logged (`/api/trove/v1/experiments/{id}/keys`), for column choosers and filter suggestions. */
export function registerExperimentKeyRoutes(r: RpcRouter, { experimentKeys }: Services): void {
  native(r, 'GET', '/experiments/:experiment_id/keys', {}, async ({ workspace, params }) => experimentKeys.list(workspace, params.experiment_id));
}
