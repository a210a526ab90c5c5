import { invalidParam, notFound, type RunTags, validateKey } from '@trove/protocol';
import { deleteTagColor, listTagColors, type Store, upsertTagColor } from '@trove/store';
import type { Workspace } from './workspace.service.ts';

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** A colour per run tag key and workspace, shared by everyone who opens the workspace. */
export function createTagColorService(store: Store) {
  const { db } = store;

  async function list(ws: Workspace): Promise<RunTags.ListTagColorsResponse> {
    return { tag_colors: await listTagColors(db, ws.id) };
  }

  async function set(ws: Workspace, input: { key: string; color: string }): Promise<RunTags.TagColorResponse> {
    validateKey(input.key, 'tag key');
    if (!HEX_COLOR.test(input.color)) throw invalidParam(`Invalid colour '${input.color}': expected #rrggbb.`);
    const color = input.color.toLowerCase();
    await upsertTagColor(db, ws.id, input.key, color);
    return { tag_color: { key: input.key, color } };
  }

  async function remove(ws: Workspace, key: string): Promise<void> {
    if (!(await deleteTagColor(db, ws.id, key))) throw notFound(`Tag key '${key}' has no colour.`);
  }

  return { list, set, remove };
}
