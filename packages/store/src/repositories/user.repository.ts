import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, UserTable } from '../schema.ts';

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;

export async function insertUser(db: Kysely<Database>, row: NewUser): Promise<UserRow> {
  const created = await db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
  return { ...created, id: Number(created.id) };
}

export function findUserByName(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserBySubject(db: Kysely<Database>, subject: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
}

export function listUsers(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export async function countAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateUser(
  db: Kysely<Database>,
  id: number,
  changes: Partial<Omit<NewUser, 'id' | 'username' | 'creation_time'>>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Deletes the user and everything that hangs on them: memberships, tokens, sessions, grants. */
export async function deleteUserCascade(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('group_members').where('user_id', '=', id).execute();
  await db.deleteFrom('api_tokens').where('user_id', '=', id).execute();
  await db.deleteFrom('user_sessions').where('user_id', '=', id).execute();
  for (const table of ['workspace_members', 'experiment_permissions', 'registered_model_permissions'] as const) {
    await db.deleteFrom(table).where('principal_kind', '=', 'user').where('principal_id', '=', id).execute();
  }
  await db.deleteFrom('users').where('id', '=', id).execute();
}
