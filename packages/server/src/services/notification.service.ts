import { invalidParam, type Notifications, TroveError } from '@trove/protocol';
import {
  countUnread,
  deleteWatch,
  findExperiment,
  findRegisteredModelName,
  insertWatch,
  isWatching,
  listNotifications,
  listWatches,
  listWorkspaces,
  markNotificationsRead,
  type NotificationRow,
  type Store,
  type WatchRow,
  type WatchTarget,
} from '@trove/store';
import type { ExperimentService } from './experiment.service.ts';
import type { RegisteredModelService } from './registered-model.service.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

type TargetInput = { experiment_id?: string; run_id?: string; name?: string };
const PAGE = 50;

/** These routes are about "me": with auth off, who `X-Trove-User` names. */
export function requireUser(actor: string | undefined): string {
  if (!actor)
    throw new TroveError(
      'UNAUTHENTICATED',
      'Notifications are per user: sign in, or (with auth off) send the X-Trove-User header.',
    );
  return actor;
}

/** Watches (experiment, run, model) and the inbox of the signed-in user. */
export function createNotificationService(
  store: Store,
  experiments: ExperimentService,
  runs: RunService,
  models: RegisteredModelService,
) {
  const { db } = store;

  /** The one target a request names, resolved in the workspace (404 when it is not there). */
  async function targetOf(ws: Workspace, input: TargetInput): Promise<WatchTarget & { label: string }> {
    const named = [input.experiment_id, input.run_id, input.name].filter((v) => v !== undefined && v !== '');
    if (named.length !== 1)
      throw invalidParam('Name exactly one of experiment_id, run_id or name (a registered model).');
    if (input.experiment_id) {
      const row = await experiments.getRow(ws, input.experiment_id);
      return { workspaceId: ws.id, type: 'experiment', id: String(row.experiment_id), label: row.name };
    }
    if (input.run_id) {
      const row = await runs.getRow(ws, input.run_id);
      return { workspaceId: ws.id, type: 'run', id: row.run_uuid, label: row.name };
    }
    const row = await models.getRow(ws, input.name as string);
    return { workspaceId: ws.id, type: 'model', id: String(row.id), label: row.name };
  }

  async function present(w: WatchRow): Promise<Notifications.WatchEntry> {
    const base = {
      target_type: w.target_type as Notifications.WatchTargetType,
      creation_timestamp: Number(w.creation_time),
    };
    if (w.target_type === 'model') {
      const name = (await findRegisteredModelName(db, Number(w.target_id))) ?? '';
      return { ...base, target_id: name, label: name };
    }
    if (w.target_type === 'experiment') {
      const exp = await findExperiment(db, Number(w.target_id));
      return { ...base, target_id: w.target_id, label: exp?.name ?? w.target_id };
    }
    return { ...base, target_id: w.target_id, label: w.target_id };
  }

  async function watch(ws: Workspace, input: TargetInput, actor: string | undefined) {
    const user = requireUser(actor);
    const t = await targetOf(ws, input);
    await insertWatch(db, {
      workspace_id: t.workspaceId,
      target_type: t.type,
      target_id: t.id,
      user_name: user,
      creation_time: Date.now(),
    });
    return { watching: true };
  }

  async function unwatch(ws: Workspace, input: TargetInput, actor: string | undefined) {
    const user = requireUser(actor);
    await deleteWatch(db, await targetOf(ws, input), user);
    return { watching: false };
  }

  async function status(ws: Workspace, input: TargetInput, actor: string | undefined) {
    const user = requireUser(actor);
    return { watching: await isWatching(db, await targetOf(ws, input), user) };
  }

  async function list(ws: Workspace, actor: string | undefined) {
    const user = requireUser(actor);
    const rows = await listWatches(db, ws.id, user);
    return { watches: (await Promise.all(rows.map(present))).filter((w) => w.target_id !== '') };
  }

  async function inbox(
    input: { unread?: string; page_token?: string; max_results?: number | bigint },
    actor: string | undefined,
  ): Promise<Notifications.ListNotificationsResponse> {
    const user = requireUser(actor);
    const limit = Math.min(Math.max(Number(input.max_results ?? PAGE), 1), 200);
    const before = input.page_token ? Number(input.page_token) : undefined;
    if (before !== undefined && !(Number.isInteger(before) && before > 0))
      throw invalidParam(`Invalid page_token '${input.page_token?.slice(0, 32)}'.`);
    const rows = await listNotifications(db, user, {
      unreadOnly: input.unread === '1' || input.unread === 'true',
      beforeId: before,
      limit: limit + 1,
    });
    const names = new Map((await listWorkspaces(db)).map((w) => [Number(w.id), w.name]));
    const page = rows.slice(0, limit);
    return {
      notifications: page.map((n) => presentNotification(n, names.get(Number(n.workspace_id)) ?? 'default')),
      ...(rows.length > limit ? { next_page_token: String(page[page.length - 1]?.id) } : {}),
    };
  }

  async function unreadCount(actor: string | undefined) {
    return { unread: await countUnread(db, requireUser(actor)) };
  }

  async function markRead(input: { ids?: string[]; all?: boolean }, actor: string | undefined) {
    const user = requireUser(actor);
    if (!input.all && (input.ids ?? []).length === 0) throw invalidParam('Send ids (a list) or all: true.');
    const ids = input.all ? 'all' : (input.ids ?? []).map(Number).filter((n) => Number.isInteger(n) && n > 0);
    const changed = await markNotificationsRead(db, user, ids, Date.now());
    return { marked: changed, unread: await countUnread(db, user) };
  }

  return { watch, unwatch, status, list, inbox, unreadCount, markRead };
}

function presentNotification(n: NotificationRow, workspace: string): Notifications.NotificationEntry {
  return {
    id: String(n.id),
    kind: n.kind as Notifications.NotificationKind,
    workspace,
    actor: n.actor,
    title: n.title,
    body: n.body,
    link: n.link,
    creation_timestamp: Number(n.creation_time),
    read: n.read_time !== null,
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
