import { invalidParam, notFound, validateKey } from '@trove/protocol';
import type { Store } from '@trove/store';
import type { Workspace } from './workspace.service.ts';

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** A colour per run tag key and workspace, shared by everyone who opens the workspace. */
export function createTagColorService(store: Store) {
  const { db } = store;

  async function list(ws: Workspace): Promise<{ tag_colors: { key: string; color: string }[] }> {
    const rows = await db.selectFrom('tag_colors').select(['key', 'color']).where('workspace_id', '=', ws.id).orderBy('key').execute();
    return { tag_colors: rows };
  }

  async function set(ws: Workspace, input: { key: string; color: string }): Promise<{ tag_color: { key: string; color: string } }> {
    validateKey(input.key, 'tag key');
    if (!HEX_COLOR.test(input.color)) throw invalidParam(`Invalid colour '${input.color}': expected #rrggbb.`);
    const color = input.color.toLowerCase();
    await db
      .insertInto('tag_colors')
      .values({ workspace_id: ws.id, key: input.key, color })
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet({ color }))
      .execute();
    return { tag_color: { key: input.key, color } };
  }

  async function remove(ws: Workspace, key: string): Promise<void> {
    const res = await db.deleteFrom('tag_colors').where('workspace_id', '=', ws.id).where('key', '=', key).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound(`Tag key '${key}' has no colour.`);
  }

  return { list, set, remove };
}
