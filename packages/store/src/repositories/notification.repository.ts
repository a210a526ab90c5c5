import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, NotificationChannelTable, NotificationTable, WatchTable } from '../schema.ts';

export type WatchRow = Selectable<WatchTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type NotificationChannelRow = Selectable<NotificationChannelTable>;
export interface WatchTarget {
  workspaceId: number;
  type: string;
  id: string;
}

// ---- Watches --------------------------------------------------------------------------------

/** Watching twice is one watch. */
export async function insertWatch(db: Kysely<Database>, w: Insertable<WatchTable>): Promise<void> {
  await db
    .insertInto('watches')
    .values(w)
    .onConflict((oc) => oc.columns(['workspace_id', 'target_type', 'target_id', 'user_name']).doNothing())
    .execute();
}

export async function deleteWatch(db: Kysely<Database>, t: WatchTarget, user: string): Promise<boolean> {
  const res = await db
    .deleteFrom('watches')
    .where('workspace_id', '=', t.workspaceId)
    .where('target_type', '=', t.type)
    .where('target_id', '=', t.id)
    .where('user_name', '=', user)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function isWatching(db: Kysely<Database>, t: WatchTarget, user: string): Promise<boolean> {
  const row = await db
    .selectFrom('watches')
    .select('user_name')
    .where('workspace_id', '=', t.workspaceId)
    .where('target_type', '=', t.type)
    .where('target_id', '=', t.id)
    .where('user_name', '=', user)
    .executeTakeFirst();
  return row !== undefined;
}

/** A user's watches in one workspace, newest first. */
export function listWatches(db: Kysely<Database>, workspaceId: number, user: string): Promise<WatchRow[]> {
  return db
    .selectFrom('watches')
    .selectAll()
    .where('user_name', '=', user)
    .where('workspace_id', '=', workspaceId)
    .orderBy('creation_time', 'desc')
    .limit(1000)
    .execute();
}

/** Everyone watching any of `targets` (one workspace). */
export async function watchersOf(db: Kysely<Database>, workspaceId: number, targets: { type: string; id: string }[]) {
  if (targets.length === 0) return [];
  const rows = await db
    .selectFrom('watches')
    .select(['user_name', 'target_type'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or(targets.map((t) => eb.and([eb('target_type', '=', t.type), eb('target_id', '=', t.id)]))))
    .execute();
  return rows;
}

// ---- Who is who -----------------------------------------------------------------------------

/**
 * Of `names`, those that are users: a user account, or (with auth off, where there are no
 * accounts) a name that has set up notifications (watches or channel settings).
 */
export async function knownUserNames(db: Kysely<Database>, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const [users, watchers, channels] = await Promise.all([
    db.selectFrom('users').select('username as n').where('username', 'in', names).execute(),
    db.selectFrom('watches').select('user_name as n').distinct().where('user_name', 'in', names).execute(),
    db.selectFrom('notification_channels').select('user_name as n').where('user_name', 'in', names).execute(),
  ]);
  return [...new Set([...users, ...watchers, ...channels].map((r) => r.n))];
}

/**
 * Who may decide a review of a model: its owner, users and group members granted MANAGE on it,
 * and the members of the approver groups the policy rule names (`approverGroups`).
 */
export async function modelDeciders(
  db: Kysely<Database>,
  workspaceId: number,
  modelName: string,
  approverGroups: string[],
): Promise<string[]> {
  const owner = await db
    .selectFrom('registered_models')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', modelName)
    .executeTakeFirst();
  const grants = await db
    .selectFrom('registered_model_permissions')
    .select(['principal_kind', 'principal_id'])
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', modelName)
    .where('permission', '=', 'MANAGE')
    .execute();
  const userIds = grants.filter((g) => g.principal_kind === 'user').map((g) => Number(g.principal_id));
  const groupIds = grants.filter((g) => g.principal_kind === 'group').map((g) => Number(g.principal_id));
  const names = new Set<string>(owner?.user_id ? [owner.user_id] : []);
  if (approverGroups.length > 0) {
    const named = await db.selectFrom('user_groups').select('id').where('name', 'in', approverGroups).execute();
    groupIds.push(...named.map((g) => Number(g.id)));
  }
  if (groupIds.length > 0) {
    const members = await db.selectFrom('group_members').select('user_id').where('group_id', 'in', groupIds).execute();
    userIds.push(...members.map((m) => Number(m.user_id)));
  }
  if (userIds.length > 0) {
    const users = await db.selectFrom('users').select('username').where('id', 'in', userIds).execute();
    for (const u of users) names.add(u.username);
  }
  return [...names];
}

// ---- Inbox ----------------------------------------------------------------------------------

/**
 * Inserts the notifications of one event for many users in a few statements; answers the new ids
 * by user (a user who already had one for the event is left out).
 */
export async function insertNotifications(
  db: Kysely<Database>,
  rows: Insertable<NotificationTable>[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // 12 columns a row: 400 rows stay far below SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 400) {
    const inserted = await db
      .insertInto('notifications')
      .values(rows.slice(i, i + 400))
      .onConflict((oc) => oc.columns(['user_name', 'event_id']).doNothing())
      .returning(['id', 'user_name'])
      .execute();
    for (const r of inserted) ids.set(r.user_name, Number(r.id));
  }
  return ids;
}

/** A user's inbox, newest first, from before `beforeId`. */
export function listNotifications(
  db: Kysely<Database>,
  user: string,
  opts: { unreadOnly: boolean; beforeId?: number; limit: number },
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .where('user_name', '=', user)
    .where('in_inbox', '=', 1)
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.unreadOnly) q = q.where('read_time', 'is', null);
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  return q.execute();
}

export async function countUnread(db: Kysely<Database>, user: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_name', '=', user)
    .where('in_inbox', '=', 1)
    .where('read_time', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks some (ids) or all of a user's notifications read; answers how many changed. */
export async function markNotificationsRead(
  db: Kysely<Database>,
  user: string,
  ids: number[] | 'all',
  now: number,
): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let q = db
    .updateTable('notifications')
    .set({ read_time: now })
    .where('user_name', '=', user)
    .where('read_time', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

export function findNotification(db: Kysely<Database>, id: number): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

// ---- Preferences and channels ---------------------------------------------------------------

/** The choices users changed, for some users (fan-out) or one. */
export async function preferencesOf(db: Kysely<Database>, users: string[]) {
  if (users.length === 0) return [];
  return db
    .selectFrom('notification_preferences')
    .select(['user_name', 'kind', 'channel', 'enabled'])
    .where('user_name', 'in', users)
    .execute();
}

export async function upsertPreference(
  db: Kysely<Database>,
  p: { user_name: string; kind: string; channel: string; enabled: number },
): Promise<void> {
  await db
    .insertInto('notification_preferences')
    .values(p)
    .onConflict((oc) => oc.columns(['user_name', 'kind', 'channel']).doUpdateSet({ enabled: p.enabled }))
    .execute();
}

export function findChannelSettings(db: Kysely<Database>, user: string): Promise<NotificationChannelRow | undefined> {
  return db.selectFrom('notification_channels').selectAll().where('user_name', '=', user).executeTakeFirst();
}

export async function upsertChannelSettings(db: Kysely<Database>, row: NotificationChannelRow): Promise<void> {
  const { user_name: _u, ...changes } = row;
  await db
    .insertInto('notification_channels')
    .values(row)
    .onConflict((oc) => oc.column('user_name').doUpdateSet(changes))
    .execute();
}

/** The email address a user gets mail at: their channel setting, else their account's. */
export async function emailOf(db: Kysely<Database>, user: string): Promise<string | null> {
  const own = await findChannelSettings(db, user);
  if (own?.email) return own.email;
  const account = await db.selectFrom('users').select('email').where('username', '=', user).executeTakeFirst();
  return account?.email ?? null;
}

/** A workspace's name (for links), by id. */
export async function workspaceNameOf(db: Kysely<Database>, workspaceId: number): Promise<string> {
  const row = await db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirst();
  return row?.name ?? 'default';
}
