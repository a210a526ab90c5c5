import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface WorkspaceRow {
  id: number;
  name: string;
  description: string | null;
  creation_time: number;
  default_experiment_id: number | null;
}

export function findWorkspaceByName(db: Kysely<Database>, name: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listWorkspaces(db: Kysely<Database>): Promise<WorkspaceRow[]> {
  return db.selectFrom('workspaces').selectAll().orderBy('id').execute();
}

export async function insertWorkspace(
  db: Kysely<Database>,
  name: string,
  description: string | null,
  now: number,
): Promise<number> {
  const row = await db
    .insertInto('workspaces')
    .values({ name, description, creation_time: now, default_experiment_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function setDefaultExperiment(
  db: Kysely<Database>,
  workspaceId: number,
  experimentId: number,
): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ default_experiment_id: experimentId })
    .where('id', '=', workspaceId)
    .execute();
}
