import { ModelHistory, missing, Review } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const M = '/registered-models/:name';

// A PUT that lost its body must not silently clear a policy: clearing takes an explicit `"rules": []`.
function requireRules<T>(rules: T[] | undefined): T[] {
  if (rules === undefined) throw missing('rules');
  return rules;
}

/** Trove's native registry API: model page, activity log, review policy and requests, comments. */
export function registerReviewRoutes(r: Router, s: Services): void {
  // The version's run only when the caller may read its experiment.
  r.native('GET', `${M}/versions/:version`, {}, async ({ workspace, params, caller }) =>
    s.modelPage.get(
      workspace,
      params.name,
      params.version,
      await s.auth.authorizer.visibleExperiments(caller, workspace),
    ),
  );
  r.native('GET', `${M}/versions/:version/history`, ModelHistory.HistoryRequest, async (c) =>
    s.modelHistory.get(
      c.workspace,
      c.params.name,
      c.params.version,
      c.input,
      await s.auth.authorizer.visibleExperiments(c.caller, c.workspace),
    ),
  );
  r.native('GET', `${M}/activity`, Review.Page, async ({ workspace, params, input }) =>
    s.activity.forModel(workspace, params.name, input),
  );
  r.native('GET', '/runs/:run_id/activity', Review.Page, async ({ workspace, params, input }) =>
    s.activity.forRun(workspace, params.run_id, input),
  );

  r.native('GET', `${M}/review-policy`, {}, async ({ workspace, params }) =>
    s.reviewPolicies.get(workspace, params.name),
  );
  r.native('PUT', `${M}/review-policy`, Review.SetReviewPolicy, async ({ workspace, params, input, actor }) =>
    s.reviewPolicies.set(workspace, params.name, requireRules(input.rules), actor),
  );

  r.native(
    'POST',
    `${M}/versions/:version/requests`,
    Review.CreateReviewRequest,
    async ({ workspace, params, input, actor }) =>
      s.reviewRequests.create(workspace, params.name, params.version, input, actor),
  );
  r.native('GET', `${M}/requests`, Review.RequestList, async ({ workspace, params, input }) =>
    s.reviewRequests.list(workspace, params.name, input),
  );
  r.native('GET', `${M}/requests/:request_id`, {}, async ({ workspace, params }) =>
    s.reviewRequests.get(workspace, params.name, params.request_id),
  );
  for (const verb of ['approve', 'reject', 'cancel'] as const) {
    r.native(
      'POST',
      `${M}/requests/:request_id/${verb}`,
      Review.Decision,
      async ({ workspace, params, input, actor, caller }) =>
        s.reviewDecisions[verb](workspace, params.name, params.request_id, { name: actor, caller }, input.comment),
    );
  }
}
