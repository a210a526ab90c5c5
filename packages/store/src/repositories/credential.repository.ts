import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ApiTokenTable, Database, UserSessionTable } from '../schema.ts';

export type ApiTokenRow = Selectable<ApiTokenTable>;
export type NewApiToken = Insertable<ApiTokenTable>;
export type UserSessionRow = Selectable<UserSessionTable>;

export async function insertApiToken(db: Kysely<Database>, row: NewApiToken): Promise<ApiTokenRow> {
  const created = await db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow();
  return { ...created, id: Number(created.id) };
}

export function findApiTokenByHash(db: Kysely<Database>, tokenHash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export async function revokeApiToken(db: Kysely<Database>, userId: number, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_time: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_time', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchApiToken(db: Kysely<Database>, id: number, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_time: now }).where('id', '=', id).execute();
}

export async function insertSession(db: Kysely<Database>, row: UserSessionRow): Promise<void> {
  await db.insertInto('user_sessions').values(row).execute();
}

export function findSession(db: Kysely<Database>, idHash: string): Promise<UserSessionRow | undefined> {
  return db.selectFrom('user_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('user_sessions').where('expires_time', '<', now).execute();
}
