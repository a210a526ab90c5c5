import { Tracking } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

export function registerExperimentRoutes(r: Router, { experiments }: Services): void {
  r.rpc('POST', '/experiments/create', Tracking.CreateExperiment, async ({ workspace, input }) => ({
    experiment_id: await experiments.create(workspace, input),
  }));
  r.rpc('GET', '/experiments/get', Tracking.GetExperiment, async ({ workspace, input }) => ({
    experiment: await experiments.get(workspace, input.experiment_id),
  }));
  r.rpc('GET', '/experiments/get-by-name', Tracking.GetExperimentByName, async ({ workspace, input }) => ({
    experiment: await experiments.getByName(workspace, input.experiment_name),
  }));
  for (const method of ['POST', 'GET'] as const) {
    r.rpc(method, '/experiments/search', Tracking.SearchExperiments, async ({ workspace, input }) => {
      const { experiments: found, nextPageToken } = await experiments.search(workspace, input);
      return { experiments: found.length > 0 ? found : undefined, next_page_token: nextPageToken };
    });
  }
  r.rpc('POST', '/experiments/delete', Tracking.ExperimentId, async ({ workspace, input }) =>
    experiments.remove(workspace, input.experiment_id),
  );
  r.rpc('POST', '/experiments/restore', Tracking.ExperimentId, async ({ workspace, input }) =>
    experiments.restore(workspace, input.experiment_id),
  );
  r.rpc('POST', '/experiments/update', Tracking.UpdateExperiment, async ({ workspace, input }) =>
    experiments.rename(workspace, input.experiment_id, input.new_name),
  );
  r.rpc('POST', '/experiments/set-experiment-tag', Tracking.SetExperimentTag, async ({ workspace, input }) =>
    experiments.setTag(workspace, input.experiment_id, input.key, input.value ?? ''),
  );
  r.rpc('POST', '/experiments/delete-experiment-tag', Tracking.DeleteExperimentTag, async ({ workspace, input }) =>
    experiments.deleteTag(workspace, input.experiment_id, input.key),
  );
}
