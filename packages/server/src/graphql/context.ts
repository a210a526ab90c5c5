import { type Experiment, LIMITS, type ModelVersion } from '@trove/protocol';
import type { Visibility } from '@trove/store';
import type { Caller } from '../auth/caller.ts';
import type { Access } from '../auth/route-access.ts';
import type { Services } from '../services/index.ts';
import type { Workspace } from '../services/workspace.service.ts';

/** What every resolver of one request sees. */
export interface GraphqlContext {
  services: Services;
  workspace: Workspace;
  /** Who is asking, as the route's guard established it. */
  caller: Caller;
  /** Throws 401/403 unless the caller passes `access` for this decoded input (the guard's own check). */
  authorize(access: Access, input: Record<string, unknown>): Promise<void>;
  /** What the caller may read, asked once per request. */
  visibleExperiments(): Promise<Visibility<number> | undefined>;
  visibleModels(): Promise<Visibility<string> | undefined>;
  /** A run's experiment, read once per request however many runs share it. */
  experiment(experimentId: string): Promise<Experiment>;
  /** The model versions registered from a run; the runs of one list are looked up together. */
  modelVersionsOf(runId: string): Promise<ModelVersion[]>;
}

/** Run ids per model-version search (`run_id IN (...)`): keeps each filter string small. */
const RUN_IDS_PER_SEARCH = 100;

export function createGraphqlContext(services: Services, workspace: Workspace, caller: Caller): GraphqlContext {
  const { guard, authorizer } = services.auth;
  let experimentsVisible: Promise<Visibility<number> | undefined> | undefined;
  let modelsVisible: Promise<Visibility<string> | undefined> | undefined;
  const visibleModels = () => (modelsVisible ??= authorizer.visibleModels(caller, workspace));
  const experiments = new Map<string, Promise<Experiment>>();
  const versionsByRun = new Map<string, Promise<ModelVersion[]>>();
  let queued: { runId: string; settle: (r: Promise<ModelVersion[]>) => void }[] = [];

  // graphql-js resolves the items of a list in one synchronous pass, so every run of a list has
  // asked by the time this microtask runs: one search serves the whole list, not one per run.
  async function flush(batch: typeof queued): Promise<void> {
    // Run ids are hex; anything else cannot name a run and is left out of the filter string.
    const runIds = batch.map((q) => q.runId).filter((id) => /^[\w-]+$/.test(id));
    const found = new Map<string, ModelVersion[]>(runIds.map((id) => [id, []]));
    const loaded = (async () => {
      for (let i = 0; i < runIds.length; i += RUN_IDS_PER_SEARCH) {
        const chunk = runIds.slice(i, i + RUN_IDS_PER_SEARCH);
        const filter = `run_id IN (${chunk.map((id) => `'${id}'`).join(', ')})`;
        let pageToken: string | undefined;
        do {
          const page = await services.modelVersions.search(
            workspace,
            { filter, max_results: LIMITS.searchModelVersionsMax, page_token: pageToken },
            // Only versions of models the caller may read (MLflow leaked the others: GHSA-f253-vggg-rwh8).
            await visibleModels(),
          );
          for (const v of page.versions) if (v.run_id !== undefined) found.get(v.run_id)?.push(v);
          pageToken = page.nextPageToken;
        } while (pageToken);
      }
      return found;
    })();
    for (const q of batch) q.settle(loaded.then((m) => m.get(q.runId) ?? []));
  }

  return {
    services,
    workspace,
    caller,
    authorize: (access, input) =>
      guard.authorize(
        access,
        caller,
        async () => workspace,
        () => ({ input, params: {} }),
      ),
    visibleExperiments: () => (experimentsVisible ??= authorizer.visibleExperiments(caller, workspace)),
    visibleModels,
    experiment(experimentId) {
      let hit = experiments.get(experimentId);
      if (!hit) {
        hit = services.experiments.get(workspace, experimentId);
        experiments.set(experimentId, hit);
      }
      return hit;
    },
    modelVersionsOf(runId) {
      let hit = versionsByRun.get(runId);
      if (!hit) {
        hit = new Promise<ModelVersion[]>((resolve) => {
          if (queued.length === 0) {
            queueMicrotask(() => {
              const batch = queued;
              queued = [];
              void flush(batch);
            });
          }
          queued.push({ runId, settle: resolve });
        });
        versionsByRun.set(runId, hit);
      }
      return hit;
    },
  };
}
