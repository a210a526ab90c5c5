import { Tracking } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

export function registerExperimentRoutes(r: Router, { experiments, auth }: Services): void {
  r.rpc('POST', '/experiments/create', Tracking.CreateExperiment, async ({ workspace, input, caller }) => {
    const id = await experiments.create(workspace, input);
    // The creator may manage what they created (MLflow's auth does the same).
    if (caller.user) await auth.grants.grantCreatorExperiment(Number(id), caller.user.id);
    return { experiment_id: id };
  });
  r.rpc('GET', '/experiments/get', Tracking.GetExperiment, async ({ workspace, input }) => ({
    experiment: await experiments.get(workspace, input.experiment_id),
  }));
  r.rpc('GET', '/experiments/get-by-name', Tracking.GetExperimentByName, async ({ workspace, input }) => ({
    experiment: await experiments.getByName(workspace, input.experiment_name),
  }));
  for (const method of ['POST', 'GET'] as const) {
    r.rpc(method, '/experiments/search', Tracking.SearchExperiments, async ({ workspace, input, caller }) => {
      const visible = await auth.authorizer.visibleExperiments(caller, workspace);
      const { experiments: found, nextPageToken } = await experiments.search(workspace, input, visible);
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
