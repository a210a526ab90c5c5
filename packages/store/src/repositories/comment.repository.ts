import type { Insertable, Kysely, Selectable } from 'kysely';
import type { CommentTable, Database } from '../schema.ts';

export type CommentRow = Selectable<CommentTable>;
export type NewComment = Insertable<CommentTable>;

/** What a thread hangs on: a run (`run_uuid`), else a model version (`model_id`, `version`). */
export interface CommentThread {
  model_id: number | null;
  version: number | null;
  run_uuid: string | null;
}

/** Inserts a comment and returns it as stored. */
export function insertComment(db: Kysely<Database>, row: NewComment): Promise<CommentRow> {
  return db.insertInto('comments').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A comment of one workspace. */
export function findComment(db: Kysely<Database>, workspaceId: number, id: number): Promise<CommentRow | undefined> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** A thread's comments, oldest first, keyset-paged above `after`. */
export function listComments(
  db: Kysely<Database>,
  thread: CommentThread,
  page: { after?: number; limit: number },
): Promise<CommentRow[]> {
  let q = db.selectFrom('comments').selectAll();
  q =
    thread.run_uuid !== null
      ? q.where('run_uuid', '=', thread.run_uuid)
      : q.where('model_id', '=', thread.model_id).where('version', '=', thread.version);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  return q.orderBy('id').limit(page.limit).execute();
}

export async function updateCommentBody(db: Kysely<Database>, id: number, body: string, now: number): Promise<void> {
  await db.updateTable('comments').set({ body, last_update_time: now }).where('id', '=', id).execute();
}

export async function deleteComment(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('comments').where('id', '=', id).execute();
}
