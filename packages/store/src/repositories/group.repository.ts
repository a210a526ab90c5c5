import type { Kysely, Selectable } from 'kysely';
import type { Database, UserGroupTable } from '../schema.ts';

export type GroupRow = Selectable<UserGroupTable>;

export async function insertGroup(
  db: Kysely<Database>,
  name: string,
  description: string | null,
  now: number,
): Promise<GroupRow> {
  const row = await db
    .insertInto('user_groups')
    .values({ name, description, creation_time: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...row, id: Number(row.id) };
}

export function findGroupByName(db: Kysely<Database>, name: string): Promise<GroupRow | undefined> {
  return db.selectFrom('user_groups').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listGroups(db: Kysely<Database>): Promise<GroupRow[]> {
  return db.selectFrom('user_groups').selectAll().orderBy('name').execute();
}

/** The groups a user belongs to. */
export function groupsOfUser(db: Kysely<Database>, userId: number): Promise<GroupRow[]> {
  return db
    .selectFrom('group_members as m')
    .innerJoin('user_groups as g', 'g.id', 'm.group_id')
    .selectAll('g')
    .where('m.user_id', '=', userId)
    .orderBy('g.name')
    .execute();
}

/** The usernames in a group. */
export async function membersOfGroup(db: Kysely<Database>, groupId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.username')
    .where('m.group_id', '=', groupId)
    .orderBy('u.username')
    .execute();
  return rows.map((r) => r.username);
}

export async function addGroupMember(db: Kysely<Database>, groupId: number, userId: number): Promise<void> {
  await db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeGroupMember(db: Kysely<Database>, groupId: number, userId: number): Promise<void> {
  await db.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

/** Replaces a user's memberships with exactly `groupIds` (SSO group claims). */
export async function setUserGroups(db: Kysely<Database>, userId: number, groupIds: number[]): Promise<void> {
  await db.deleteFrom('group_members').where('user_id', '=', userId).execute();
  for (const groupId of groupIds) await addGroupMember(db, groupId, userId);
}

export async function deleteGroupCascade(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('group_members').where('group_id', '=', id).execute();
  for (const table of ['workspace_members', 'experiment_permissions', 'registered_model_permissions'] as const) {
    await db.deleteFrom(table).where('principal_kind', '=', 'group').where('principal_id', '=', id).execute();
  }
  await db.deleteFrom('user_groups').where('id', '=', id).execute();
}
