import type { ExperimentKeysResponse } from '@trove/protocol';
import { listExperimentKeys, type Store } from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import type { Workspace } from './workspace.service.ts';

/** The experiment's param, metric and tag keys, from its key registry (`store/src/experiment-keys.ts`). */
export function createExperimentKeysService(store: Store, experiments: ExperimentService) {
  async function list(ws: Workspace, experimentId: string): Promise<ExperimentKeysResponse> {
    const experiment = await experiments.getRow(ws, experimentId);
    return listExperimentKeys(store.db, experiment.experiment_id);
  }
  return { list };
}

export type ExperimentKeysService = ReturnType<typeof createExperimentKeysService>;
