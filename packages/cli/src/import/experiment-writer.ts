import type { ImportExperiment } from '@trove/protocol';
import {
  findExperiment,
  findExperimentByName,
  insertImportedExperiment,
  runInTransaction,
  syncExperimentIdSequence,
  upsertExperimentTags,
} from '@trove/store';
import { ImportConflict } from './import-conflict.ts';
import type { TroveTarget } from './trove-target.ts';

/**
 * Writes an experiment under its own id (MLflow's `0`, Default, becomes the workspace's Default) and
 * its tags; one already there with the same name and workspace is kept and only gains the tags.
 * Its id in Trove.
 */
export async function writeExperiment(target: TroveTarget, e: ImportExperiment): Promise<number> {
  const ws = target.workspace;
  const id = e.experiment_id === '0' ? ws.defaultExperimentId : Number(e.experiment_id);
  return runInTransaction(target.store, async (tx) => {
    const existing = await findExperiment(tx, id);
    if (existing) {
      const sameName = existing.name === e.name || id === ws.defaultExperimentId;
      if (Number(existing.workspace_id) !== ws.id || !sameName)
        throw new ImportConflict(
          `experiment ${id} '${e.name}' cannot keep its id: Trove already has experiment ${id} '${existing.name}'` +
            `${Number(existing.workspace_id) !== ws.id ? ' in another workspace' : ''}`,
        );
    } else {
      const byName = await findExperimentByName(tx, ws.id, e.name);
      if (byName)
        throw new ImportConflict(
          `experiment '${e.name}' (id ${id}) exists in workspace '${ws.name}' with another id (${byName.experiment_id})`,
        );
      await insertImportedExperiment(tx, {
        experimentId: id,
        workspaceId: ws.id,
        name: e.name,
        artifactLocation: e.artifact_location,
        lifecycleStage: e.lifecycle_stage,
        creationTime: Number(e.creation_time),
        lastUpdateTime: Number(e.last_update_time),
        deletedTime: e.lifecycle_stage === 'deleted' ? (e.deleted_time ?? Number(e.last_update_time)) : null,
      });
      await syncExperimentIdSequence(tx);
    }
    if (e.tags && e.tags.length > 0) await upsertExperimentTags(tx, id, e.tags);
    return id;
  });
}
