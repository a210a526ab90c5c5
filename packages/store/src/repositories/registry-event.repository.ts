import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, RegistryEventTable } from '../schema.ts';

export type RegistryEventRow = Selectable<RegistryEventTable>;
export type NewRegistryEvent = Insertable<RegistryEventTable>;

/** Appends an event to the activity log (in the caller's transaction) and returns its id. */
export async function insertRegistryEvent(db: Kysely<Database>, row: NewRegistryEvent): Promise<number> {
  const inserted = await db.insertInto('registry_events').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Whose log: one registered model's, or one run's (in its workspace). */
export type RegistryEventLog = { modelId: number } | { workspaceId: number; runId: string };

/** Events of one log, newest first, keyset-paged below `before`. */
export function listRegistryEvents(
  db: Kysely<Database>,
  log: RegistryEventLog,
  page: { before?: number; limit: number },
): Promise<RegistryEventRow[]> {
  let q = db.selectFrom('registry_events').selectAll();
  q =
    'modelId' in log
      ? q.where('model_id', '=', log.modelId)
      : q.where('workspace_id', '=', log.workspaceId).where('run_id', '=', log.runId);
  if (page.before !== undefined) q = q.where('id', '<', page.before);
  return q.orderBy('id', 'desc').limit(page.limit).execute();
}
