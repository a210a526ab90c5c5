import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.ts';

/** A named runs-table view of one experiment (migration 0006); `state` is validated JSON text. */
export interface SavedViewTable {
  id: Generated<number>;
  workspace_id: number;
  experiment_id: number;
  name: string;
  owner: string;
  state: string;
  creation_time: number;
  last_update_time: number;
}

export type SavedViewRow = Selectable<SavedViewTable>;
type ViewDb = Kysely<Database & { saved_views: SavedViewTable }>;

// The table is typed here rather than in `schema.ts`, so the feature stays in its own files.
const views = (db: Kysely<Database>): ViewDb => db.withTables<{ saved_views: SavedViewTable }>();

export async function findSavedView(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
): Promise<SavedViewRow | undefined> {
  return views(db)
    .selectFrom('saved_views')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function findSavedViewByName(
  db: Kysely<Database>,
  experimentId: number,
  name: string,
): Promise<SavedViewRow | undefined> {
  return views(db)
    .selectFrom('saved_views')
    .selectAll()
    .where('experiment_id', '=', experimentId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** One page of an experiment's views, by name. */
export async function listSavedViews(
  db: Kysely<Database>,
  experimentId: number,
  limit: number,
  offset: number,
): Promise<SavedViewRow[]> {
  return views(db)
    .selectFrom('saved_views')
    .selectAll()
    .where('experiment_id', '=', experimentId)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function insertSavedView(db: Kysely<Database>, row: Omit<SavedViewRow, 'id'>): Promise<SavedViewRow> {
  return views(db).insertInto('saved_views').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateSavedView(
  db: Kysely<Database>,
  id: number,
  patch: { name?: string; state?: string; last_update_time: number },
): Promise<void> {
  await views(db).updateTable('saved_views').set(patch).where('id', '=', id).execute();
}

/** Every view of an experiment (when gc purges it). */
export async function deleteExperimentViews(db: Kysely<Database>, experimentId: number): Promise<void> {
  await views(db).deleteFrom('saved_views').where('experiment_id', '=', experimentId).execute();
}

export async function deleteSavedView(db: Kysely<Database>, id: number): Promise<void> {
  await views(db).deleteFrom('saved_views').where('id', '=', id).execute();
}
