import { invalidParam, notFound, Review, TroveError, validateLength } from '@trove/protocol';
import {
  type CommentRow,
  type CommentThread,
  deleteComment,
  findComment,
  findRegisteredModelName,
  insertComment,
  listComments,
  runInTransaction,
  type Store,
  type StoreDb,
  updateCommentBody,
} from '@trove/store';
import type { ModelVersionService } from './model-version.service.ts';
import { decodeIdToken, encodeIdToken, pageSize } from './offset-token.ts';
import { recordEvent } from './registry-events.ts';
import { requireActor } from './review-policy.service.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

type Target = { kind: 'version'; name: string; version: string } | { kind: 'run'; runId: string };

/** Comment threads on model versions and on runs; only the author (or, with auth on, a workspace manager) edits or deletes a comment. */
export function createCommentService(store: Store, versions: ModelVersionService, runs: RunService) {
  const { db } = store;

  // Inside a transaction reads must go through it: on SQLite the one connection is held by it.
  async function modelNameOf(modelId: number | null, within = db): Promise<string> {
    if (modelId === null) return '';
    return (await findRegisteredModelName(within, modelId)) ?? '';
  }

  function present(c: CommentRow, name: string) {
    return {
      comment_id: String(c.id),
      ...(c.model_id === null ? {} : { name, version: String(c.version) }),
      ...(c.run_uuid === null ? {} : { run_id: c.run_uuid }),
      author: c.author,
      body: c.body,
      creation_timestamp: Number(c.creation_time),
      last_updated_timestamp: Number(c.last_update_time),
    };
  }

  /** The event every comment change records: on the model's log for a version, the run's log for a run. */
  async function record(trx: StoreDb, ws: Workspace, c: CommentRow, action: string, actor: string): Promise<void> {
    const name = await modelNameOf(c.model_id, trx);
    const payload = present(c, name);
    await recordEvent(trx, {
      workspaceId: ws.id,
      modelId: c.model_id,
      modelName: name,
      version: c.version ?? undefined,
      runId: c.run_uuid ?? undefined,
      entity: 'comment',
      action,
      actor,
      payload,
    });
  }

  async function resolve(ws: Workspace, t: Target): Promise<CommentThread> {
    if (t.kind === 'run') return { model_id: null, version: null, run_uuid: (await runs.getRow(ws, t.runId)).run_uuid };
    const mv = await versions.getRow(ws, t.name, t.version);
    return { model_id: mv.model_id, version: mv.version, run_uuid: null };
  }

  async function create(ws: Workspace, t: Target, body: string, actor: string | undefined) {
    const author = requireActor(actor, 'Commenting');
    validateLength(body, Review.COMMENT_MAX_LENGTH, 'body');
    const where = await resolve(ws, t);
    const now = Date.now();
    const row = await runInTransaction(store, async (trx) => {
      const c = await insertComment(trx, {
        workspace_id: ws.id,
        ...where,
        author,
        body,
        creation_time: now,
        last_update_time: now,
      });
      await record(trx, ws, c, 'created', author);
      return c;
    });
    return { comment: present(row, await modelNameOf(row.model_id)) };
  }

  /** Oldest first, as a thread reads. */
  async function list(ws: Workspace, t: Target, input: { max_results?: number | bigint; page_token?: string }) {
    const where = await resolve(ws, t);
    const max = pageSize(input.max_results);
    const after = decodeIdToken(input.page_token);
    const rows = await listComments(db, where, { after, limit: max + 1 });
    const page = rows.slice(0, max);
    const name = await modelNameOf(where.model_id);
    return {
      comments: page.map((c) => present(c, name)),
      next_page_token: rows.length > max ? encodeIdToken(Number(page[page.length - 1].id)) : undefined,
    };
  }

  /**
   * The comment, if `actor` may change it. `authorChecked`: the authorization layer already allowed
   * the caller (with auth on: the author or a workspace manager); else the actor must be the author.
   */
  async function own(
    ws: Workspace,
    id: string,
    actor: string | undefined,
    what: string,
    authorChecked: boolean,
  ): Promise<{ row: CommentRow; user: string }> {
    const user = requireActor(actor, what);
    if (!/^\d{1,15}$/.test(id)) throw invalidParam(`Comment id must be an integer, got '${id}'.`);
    const row = await findComment(db, ws.id, Number(id));
    if (!row) throw notFound(`Comment ${id} not found.`);
    if (!authorChecked && row.author !== user)
      throw new TroveError(
        'PERMISSION_DENIED',
        `Comment ${id} belongs to '${row.author}'; users may only change their own comments.`,
      );
    return { row, user };
  }

  async function update(ws: Workspace, id: string, body: string, actor: string | undefined, authorChecked = false) {
    validateLength(body, Review.COMMENT_MAX_LENGTH, 'body');
    const { row, user } = await own(ws, id, actor, 'Editing a comment', authorChecked);
    const fresh = { ...row, body, last_update_time: Date.now() };
    await runInTransaction(store, async (trx) => {
      await updateCommentBody(trx, row.id, body, fresh.last_update_time);
      await record(trx, ws, fresh, 'updated', user);
    });
    return { comment: present(fresh, await modelNameOf(row.model_id)) };
  }

  async function remove(ws: Workspace, id: string, actor: string | undefined, authorChecked = false): Promise<void> {
    const { row, user } = await own(ws, id, actor, 'Deleting a comment', authorChecked);
    await runInTransaction(store, async (trx) => {
      await deleteComment(trx, row.id);
      await record(trx, ws, row, 'deleted', user);
    });
  }

  return { create, list, update, remove };
}

export type CommentService = ReturnType<typeof createCommentService>;
