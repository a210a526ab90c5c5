import { Views } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Saved runs-table views per experiment (`/api/trove/v1`). */
export function registerSavedViewRoutes(r: Router, { savedViews, auth }: Services): void {
  // With auth on, the route's access (`view`) has let only the owner or a workspace manager change a view.
  const ownerChecked = auth.authorizer.enabled;
  r.native('POST', '/experiments/:experiment_id/views', Views.CreateView, async ({ workspace, params, input, actor }) =>
    savedViews.create(workspace, params.experiment_id, input, actor),
  );
  r.native('GET', '/experiments/:experiment_id/views', Views.ListViews, async ({ workspace, params, input }) =>
    savedViews.list(workspace, params.experiment_id, input),
  );
  r.native('GET', '/views/:view_id', {}, async ({ workspace, params }) => savedViews.get(workspace, params.view_id));
  r.native('PATCH', '/views/:view_id', Views.UpdateView, async ({ workspace, params, input, actor }) =>
    savedViews.update(workspace, params.view_id, input, actor, ownerChecked),
  );
  r.native('DELETE', '/views/:view_id', {}, async ({ workspace, params, actor }) =>
    savedViews.remove(workspace, params.view_id, actor, ownerChecked),
  );
}
