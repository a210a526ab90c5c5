import type { Store } from '@trove/store';
import { selectRuns } from './run-selection.ts';
import type { Workspace } from './workspace.service.ts';

/** Deletes or restores many runs in one transaction: all named runs, or none when one is unknown. */
export function createBulkRunService(store: Store) {
  const { db } = store;

  async function setStage(ws: Workspace, runIds: string[] | undefined, stage: 'active' | 'deleted'): Promise<{ runs_updated: number }> {
    return db.transaction().execute(async (trx) => {
      const runs = await selectRuns(trx, ws, runIds);
      const ids = runs.filter((r) => r.lifecycle_stage !== stage).map((r) => r.id);
      if (ids.length > 0) {
        await trx
          .updateTable('runs')
          .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? Date.now() : null })
          .where('id', 'in', ids)
          .execute();
      }
      return { runs_updated: ids.length };
    });
  }

  return {
    remove: (ws: Workspace, runIds: string[] | undefined) => setStage(ws, runIds, 'deleted'),
    restore: (ws: Workspace, runIds: string[] | undefined) => setStage(ws, runIds, 'active'),
  };
}
