/** Trove's native tag management and bulk run API (`/api/trove/v1/run-tags…`, `/tag-colors`, `/runs/delete|restore`). */
import type { RunTags } from '@trove/protocol';
import { troveGet, troveSend } from './client.ts';

export type TagKeySummary = RunTags.TagKeySummary;
export type TagColor = RunTags.TagColor;

/** Keys of an experiment's active runs, or of the whole workspace when `experimentId` is empty. */
export async function listTagKeys(
  experimentId: string,
  includeSystem: boolean,
  signal?: AbortSignal,
): Promise<TagKeySummary[]> {
  return (
    await troveGet<RunTags.ListTagKeysResponse>(
      '/run-tags',
      { experiment_id: experimentId || undefined, include_system: includeSystem || undefined },
      signal,
    )
  ).keys;
}

type Updated = RunTags.RunsUpdatedResponse;

export const renameTagKey = (experimentId: string, key: string, newKey: string) =>
  troveSend<Updated>('POST', '/run-tags/rename', { experiment_id: experimentId, key, new_key: newKey });
export const deleteTagKey = (experimentId: string, key: string) =>
  troveSend<Updated>('POST', '/run-tags/delete', { experiment_id: experimentId, key });
export const setTagOnRuns = (runIds: string[], key: string, value: string) =>
  troveSend<Updated>('POST', '/run-tags/set', { run_ids: runIds, key, value });

export async function listTagColors(signal?: AbortSignal): Promise<TagColor[]> {
  return (await troveGet<RunTags.ListTagColorsResponse>('/tag-colors', {}, signal)).tag_colors;
}
export const setTagColor = (key: string, color: string) =>
  troveSend<RunTags.TagColorResponse>('PUT', '/tag-colors', { key, color });
export const clearTagColor = (key: string) =>
  troveSend<unknown>('DELETE', `/tag-colors?key=${encodeURIComponent(key)}`);

export const deleteRuns = (runIds: string[]) => troveSend<Updated>('POST', '/runs/delete', { run_ids: runIds });
export const restoreRuns = (runIds: string[]) => troveSend<Updated>('POST', '/runs/restore', { run_ids: runIds });
