import { Review } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Comment threads on model versions and on runs (`/api/trove/v1`). */
export function registerCommentRoutes(r: Router, { comments, auth }: Services): void {
  // With auth on, the route's access (`comment`) has let only the author or a workspace manager through.
  const authorChecked = auth.authorizer.enabled;
  const version = (p: Record<string, string>) => ({ kind: 'version' as const, name: p.name, version: p.version });
  const run = (p: Record<string, string>) => ({ kind: 'run' as const, runId: p.run_id });
  r.native(
    'POST',
    '/registered-models/:name/versions/:version/comments',
    Review.CommentBody,
    async ({ workspace, params, input, actor }) => comments.create(workspace, version(params), input.body, actor),
  );
  r.native(
    'GET',
    '/registered-models/:name/versions/:version/comments',
    Review.Page,
    async ({ workspace, params, input }) => comments.list(workspace, version(params), input),
  );
  r.native('POST', '/runs/:run_id/comments', Review.CommentBody, async ({ workspace, params, input, actor }) =>
    comments.create(workspace, run(params), input.body, actor),
  );
  r.native('GET', '/runs/:run_id/comments', Review.Page, async ({ workspace, params, input }) =>
    comments.list(workspace, run(params), input),
  );
  r.native('PATCH', '/comments/:comment_id', Review.CommentBody, async ({ workspace, params, input, actor }) =>
    comments.update(workspace, params.comment_id, input.body, actor, authorChecked),
  );
  r.native('DELETE', '/comments/:comment_id', {}, async ({ workspace, params, actor }) =>
    comments.remove(workspace, params.comment_id, actor, authorChecked),
  );
}
