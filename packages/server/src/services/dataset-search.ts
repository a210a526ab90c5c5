import { invalidParam } from '@trove/protocol';
import { type ExperimentService, parseExperimentId } from './experiment.service.ts';
import type { RunIoService } from './run-io.service.ts';
import type { Workspace } from './workspace.service.ts';

/** MLflow's cap on experiment ids per search-datasets request. */
const MAX_EXPERIMENT_IDS = 20;

/**
 * `experiments/search-datasets` (REST and GraphQL): MLflow's checks in its words, then the
 * dataset summaries of the experiments (each must exist in the workspace).
 */
export async function searchDatasets(
  services: { experiments: ExperimentService; runIo: RunIoService },
  ws: Workspace,
  experimentIds: string[],
) {
  if (experimentIds.length === 0) throw invalidParam('SearchDatasets request must specify at least one experiment_id.');
  if (experimentIds.length > MAX_EXPERIMENT_IDS)
    throw invalidParam(
      `SearchDatasets request cannot specify more than ${MAX_EXPERIMENT_IDS} experiment_ids. Received ${experimentIds.length} experiment_ids.`,
    );
  const resolved = await Promise.all(
    experimentIds.map(
      async (id) => (await services.experiments.getRow(ws, String(parseExperimentId(id)))).experiment_id,
    ),
  );
  return services.runIo.searchDatasets(ws, resolved);
}
