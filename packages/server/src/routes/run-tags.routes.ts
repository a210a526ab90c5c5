import { RunTags } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Tag management (`/api/trove/v1/run-tags…`, `/tag-colors`) and bulk run delete/restore. */
export function registerRunTagRoutes(r: Router, { runTags, tagColors, bulkRuns }: Services): void {
  r.native('GET', '/run-tags', RunTags.ListTagKeys, async ({ workspace, input }) => runTags.listKeys(workspace, input));
  r.native('POST', '/run-tags/rename', RunTags.RenameTagKey, async ({ workspace, input }) =>
    runTags.renameKey(workspace, input),
  );
  r.native('POST', '/run-tags/delete', RunTags.DeleteTagKey, async ({ workspace, input }) =>
    runTags.deleteKey(workspace, input),
  );
  r.native('POST', '/run-tags/set', RunTags.SetTagOnRuns, async ({ workspace, input }) =>
    runTags.setOnRuns(workspace, input),
  );

  r.native('GET', '/tag-colors', {}, async ({ workspace }) => tagColors.list(workspace));
  r.native('PUT', '/tag-colors', RunTags.SetTagColor, async ({ workspace, input }) => tagColors.set(workspace, input));
  r.native('DELETE', '/tag-colors', RunTags.TagColorKey, async ({ workspace, input }) =>
    tagColors.remove(workspace, input.key),
  );

  r.native('POST', '/runs/delete', RunTags.RunIds, async ({ workspace, input }) =>
    bulkRuns.remove(workspace, input.run_ids),
  );
  r.native('POST', '/runs/restore', RunTags.RunIds, async ({ workspace, input }) =>
    bulkRuns.restore(workspace, input.run_ids),
  );
}
