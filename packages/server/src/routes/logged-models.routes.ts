import { invalidParam, Tracking } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

export function registerLoggedModelRoutes(r: Router, { loggedModels }: Services): void {
  r.rpc('POST', '/logged-models', Tracking.CreateLoggedModel, async ({ workspace, input }) => ({
    model: await loggedModels.create(workspace, input),
  }));
  r.rpc('POST', '/logged-models/search', Tracking.SearchLoggedModels, async ({ workspace, input }) => {
    const { models, nextPageToken } = await loggedModels.search(workspace, input);
    return { models: models.length > 0 ? models : undefined, next_page_token: nextPageToken };
  });
  r.rpc('GET', '/logged-models/:model_id', {}, async ({ workspace, params }) => ({
    model: await loggedModels.get(workspace, params.model_id),
  }));
  r.rpc('PATCH', '/logged-models/:model_id', Tracking.FinalizeLoggedModel, async ({ workspace, input, params }) => {
    if (input.model_id && input.model_id !== params.model_id)
      throw invalidParam('model_id in the body does not match the path.');
    return { model: await loggedModels.finalize(workspace, params.model_id, input.status) };
  });
  r.rpc('DELETE', '/logged-models/:model_id', {}, async ({ workspace, params }) =>
    loggedModels.remove(workspace, params.model_id),
  );
  r.rpc('PATCH', '/logged-models/:model_id/tags', Tracking.SetLoggedModelTags, async ({ workspace, input, params }) =>
    loggedModels.setTags(workspace, params.model_id, input.tags),
  );
  r.rpc('DELETE', '/logged-models/:model_id/tags/:tag_key', {}, async ({ workspace, params }) =>
    loggedModels.deleteTag(workspace, params.model_id, params.tag_key),
  );
  r.rpc(
    'POST',
    '/logged-models/:model_id/params',
    Tracking.LogLoggedModelParams,
    async ({ workspace, input, params }) => loggedModels.logParams(workspace, params.model_id, input.params),
  );
}
