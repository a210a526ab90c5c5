import { Views } from '@trove/protocol';
import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';

/** Saved runs-table views per experiment (`/api/trove/v1`). */
export function registerSavedViewRoutes(r: RpcRouter, { savedViews }: Services): void {
  native(r, 'POST', '/experiments/:experiment_id/views', Views.CreateView, async ({ workspace, params, input, actor }) =>
    savedViews.create(workspace, params.experiment_id, input, actor),
  );
  native(r, 'GET', '/experiments/:experiment_id/views', Views.ListViews, async ({ workspace, params, input }) => savedViews.list(workspace, params.experiment_id, input));
  native(r, 'GET', '/views/:view_id', {}, async ({ workspace, params }) => savedViews.get(workspace, params.view_id));
  native(r, 'PATCH', '/views/:view_id', Views.UpdateView, async ({ workspace, params, input, actor }) => savedViews.update(workspace, params.view_id, input, actor));
  native(r, 'DELETE', '/views/:view_id', {}, async ({ workspace, params, actor }) => savedViews.remove(workspace, params.view_id, actor));
}
