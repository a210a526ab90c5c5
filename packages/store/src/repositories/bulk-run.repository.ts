import type { LifecycleStage } from '@trove/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Moves runs (internal ids) to `stage`: deleted ones get `deletedTime`, restored ones lose theirs.
 * The caller picks the runs whose stage changes.
 */
export async function setRunsLifecycleStage(
  db: Kysely<Database>,
  runIds: readonly number[],
  stage: LifecycleStage,
  deletedTime: number,
): Promise<void> {
  if (runIds.length === 0) return;
  await db
    .updateTable('runs')
    .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? deletedTime : null })
    .where('id', 'in', [...runIds])
    .execute();
}
