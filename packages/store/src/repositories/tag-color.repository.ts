import type { RunTags } from '@trove/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** A run tag key's colour in one workspace (`#rrggbb`, lower case). */
export type TagColor = RunTags.TagColor;

function toTagColor(row: { key: string; color: string }): TagColor {
  return { key: row.key, color: row.color };
}

/** A workspace's tag colours, by key. */
export async function listTagColors(db: Kysely<Database>, workspaceId: number): Promise<TagColor[]> {
  const rows = await db
    .selectFrom('tag_colors')
    .select(['key', 'color'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('key')
    .execute();
  return rows.map(toTagColor);
}

/** Sets a key's colour in the workspace, replacing any it had. */
export async function upsertTagColor(
  db: Kysely<Database>,
  workspaceId: number,
  key: string,
  color: string,
): Promise<void> {
  await db
    .insertInto('tag_colors')
    .values({ workspace_id: workspaceId, key, color })
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet({ color }))
    .execute();
}

/** Removes a key's colour; false when it had none. */
export async function deleteTagColor(db: Kysely<Database>, workspaceId: number, key: string): Promise<boolean> {
  const res = await db
    .deleteFrom('tag_colors')
    .where('workspace_id', '=', workspaceId)
    .where('key', '=', key)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
