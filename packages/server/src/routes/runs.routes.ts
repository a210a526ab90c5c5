import { missing, Tracking } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import { searchDatasets } from '../services/dataset-search.ts';
import type { Services } from '../services/index.ts';
import { runIdOf } from '../services/run.service.ts';

export function registerRunRoutes(r: Router, s: Services): void {
  const { runs, runData, runIo } = s;
  r.rpc('POST', '/runs/create', Tracking.CreateRun, async ({ workspace, input }) => ({
    run: await runs.create(workspace, input),
  }));
  r.rpc('GET', '/runs/get', Tracking.RunRef, async ({ workspace, input }) => ({
    run: await runs.get(workspace, runIdOf(input)),
  }));
  r.rpc('POST', '/runs/update', Tracking.UpdateRun, async ({ workspace, input }) => ({
    run_info: await runs.update(workspace, runIdOf(input), input),
  }));
  r.rpc('POST', '/runs/delete', Tracking.RunRef, async ({ workspace, input }) =>
    runs.remove(workspace, runIdOf(input)),
  );
  r.rpc('POST', '/runs/restore', Tracking.RunRef, async ({ workspace, input }) =>
    runs.restore(workspace, runIdOf(input)),
  );
  r.rpc('POST', '/runs/search', Tracking.SearchRuns, async ({ workspace, input, caller }) => {
    const visible = await s.auth.authorizer.visibleExperiments(caller, workspace);
    const { runs: found, nextPageToken } = await runs.search(workspace, input, visible);
    return { runs: found.length > 0 ? found : undefined, next_page_token: nextPageToken };
  });
  r.rpc('POST', '/runs/log-metric', Tracking.LogMetric, async ({ workspace, input }) =>
    runData.logMetric(workspace, runIdOf(input), input),
  );
  r.rpc('POST', '/runs/log-parameter', Tracking.LogParam, async ({ workspace, input }) =>
    runData.logParam(workspace, runIdOf(input), input.key, input.value ?? ''),
  );
  r.rpc('POST', '/runs/set-tag', Tracking.SetTag, async ({ workspace, input }) =>
    runData.setTag(workspace, runIdOf(input), input.key, input.value ?? ''),
  );
  r.rpc('POST', '/runs/delete-tag', Tracking.DeleteTag, async ({ workspace, input }) =>
    runData.deleteTag(workspace, input.run_id, input.key),
  );
  r.rpc('POST', '/runs/log-batch', Tracking.LogBatch, async ({ workspace, input }) =>
    runData.logBatch(workspace, input.run_id, input),
  );
  r.rpc('POST', '/runs/log-model', Tracking.LogModel, async ({ workspace, input }) =>
    runData.logModel(workspace, input.run_id, input.model_json),
  );
  r.rpc('POST', '/runs/log-inputs', Tracking.LogInputs, async ({ workspace, input }) => {
    // 2.x requires datasets; 3.x may send only models.
    if (input.datasets === undefined && input.models === undefined) throw missing('datasets');
    return runIo.logInputs(workspace, input.run_id, input);
  });
  r.rpc('POST', '/runs/outputs', Tracking.LogOutputs, async ({ workspace, input }) =>
    runIo.logOutputs(workspace, input.run_id, input.models),
  );
  r.rpc('POST', '/experiments/search-datasets', Tracking.SearchDatasets, async ({ workspace, input }) => {
    const summaries = await searchDatasets(s, workspace, input.experiment_ids ?? []);
    return { dataset_summaries: summaries.length > 0 ? summaries : undefined };
  });
}
