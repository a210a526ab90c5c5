import { RunTags } from '@trove/protocol';
import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';

/** Tag management (`/api/trove/v1/run-tags…`, `/tag-colors`) and bulk run delete/restore. */
export function registerRunTagRoutes(r: RpcRouter, { runTags, tagColors, bulkRuns }: Services): void {
  native(r, 'GET', '/run-tags', RunTags.ListTagKeys, async ({ workspace, input }) => runTags.listKeys(workspace, input));
  native(r, 'POST', '/run-tags/rename', RunTags.RenameTagKey, async ({ workspace, input }) => runTags.renameKey(workspace, input));
  native(r, 'POST', '/run-tags/delete', RunTags.DeleteTagKey, async ({ workspace, input }) => runTags.deleteKey(workspace, input));
  native(r, 'POST', '/run-tags/set', RunTags.SetTagOnRuns, async ({ workspace, input }) => runTags.setOnRuns(workspace, input));

  native(r, 'GET', '/tag-colors', {}, async ({ workspace }) => tagColors.list(workspace));
  native(r, 'PUT', '/tag-colors', RunTags.SetTagColor, async ({ workspace, input }) => tagColors.set(workspace, input));
  native(r, 'DELETE', '/tag-colors', RunTags.TagColorKey, async ({ workspace, input }) => tagColors.remove(workspace, input.key));

  native(r, 'POST', '/runs/delete', RunTags.RunIds, async ({ workspace, input }) => bulkRuns.remove(workspace, input.run_ids));
  native(r, 'POST', '/runs/restore', RunTags.RunIds, async ({ workspace, input }) => bulkRuns.restore(workspace, input.run_ids));
}
