import type { LifecycleStage, RunTags } from '@trove/protocol';
import { runInTransaction, type Store, setRunsLifecycleStage } from '@trove/store';
import { selectRuns } from './run-selection.ts';
import type { Workspace } from './workspace.service.ts';

/** Deletes or restores many runs in one transaction: all named runs, or none when one is unknown. */
export function createBulkRunService(store: Store) {
  async function setStage(
    ws: Workspace,
    runIds: string[] | undefined,
    stage: LifecycleStage,
  ): Promise<RunTags.RunsUpdatedResponse> {
    return runInTransaction(store, async (tx) => {
      const runs = await selectRuns(tx, ws, runIds);
      const ids = runs.filter((r) => r.lifecycle_stage !== stage).map((r) => r.id);
      await setRunsLifecycleStage(tx, ids, stage, Date.now());
      return { runs_updated: ids.length };
    });
  }

  return {
    remove: (ws: Workspace, runIds: string[] | undefined) => setStage(ws, runIds, 'deleted'),
    restore: (ws: Workspace, runIds: string[] | undefined) => setStage(ws, runIds, 'active'),
  };
}
