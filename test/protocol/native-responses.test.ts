import type {
  FileInfo,
  ModelPages,
  Projects,
  Review,
  RunTags,
  Views,
  Webhook,
  WebhookTestResult,
  Workspaces,
} from '@trove/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Services } from '../../packages/server/src/services/index.ts';

// The shapes of Trove's native API responses live in @trove/protocol, where the UI reads them;
// the server's services build their answers, most declaring the protocol type they return. These
// compile-time checks (run by `npm run typecheck`) hold each service's answer to its protocol shape:
// exactly that type where the service declares it (toEqualTypeOf), else every field the protocol
// names is there, with a compatible type, optional where the protocol says so (toExtend).
//
// Where a service types a field more loosely than the protocol (a status read from a row as
// `string`, a JSON column as `unknown`), the check relaxes that field to the service's looser type.

/** What a service method resolves to. */
type Answer<S extends keyof Services, M extends keyof Services[S]> = Services[S][M] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

/** `T` with string literal unions widened to `string`, and the fields named in `U` of type unknown. */
type Loose<T, U extends string = never> = T extends string
  ? string
  : T extends readonly (infer E)[]
    ? Loose<E, U>[]
    : T extends object
      ? { [K in keyof T]: K extends U ? unknown : Loose<T[K], U> }
      : T;

describe('native API responses', () => {
  it('saved views', () => {
    expectTypeOf<Answer<'savedViews', 'get'>>().toExtend<Loose<Views.SavedViewResponse, 'state'>>();
    expectTypeOf<Answer<'savedViews', 'create'>>().toExtend<Loose<Views.SavedViewResponse, 'state'>>();
    expectTypeOf<Answer<'savedViews', 'update'>>().toExtend<Loose<Views.SavedViewResponse, 'state'>>();
    expectTypeOf<Answer<'savedViews', 'list'>>().toExtend<Loose<Views.ListViewsResponse, 'state'>>();
  });

  it('workspaces, projects and name search', () => {
    expectTypeOf<Answer<'workspaces', 'list'>>().toExtend<Workspaces.ListWorkspacesResponse['workspaces']>();
    expectTypeOf<Answer<'workspaces', 'resolve'>>().toExtend<Workspaces.WorkspaceResponse['workspace']>();
    expectTypeOf<Answer<'projects', 'list'>>().toExtend<Projects.ListProjectsResponse>();
    expectTypeOf<Answer<'projects', 'create'>>().toExtend<Projects.ProjectResponse>();
    expectTypeOf<Answer<'projects', 'update'>>().toExtend<Projects.ProjectResponse>();
    expectTypeOf<Answer<'projects', 'get'>>().toExtend<Projects.GetProjectResponse>();
    expectTypeOf<Answer<'nameSearch', 'search'>>().toExtend<Projects.NameSearchResponse>();
  });

  it('run tags, tag colours and bulk run changes', () => {
    expectTypeOf<Answer<'runTags', 'listKeys'>>().toEqualTypeOf<RunTags.ListTagKeysResponse>();
    expectTypeOf<Answer<'runTags', 'renameKey'>>().toExtend<RunTags.RunsUpdatedResponse>();
    expectTypeOf<Answer<'runTags', 'deleteKey'>>().toExtend<RunTags.RunsUpdatedResponse>();
    expectTypeOf<Answer<'runTags', 'setOnRuns'>>().toExtend<RunTags.RunsUpdatedResponse>();
    expectTypeOf<Answer<'bulkRuns', 'remove'>>().toExtend<RunTags.RunsUpdatedResponse>();
    expectTypeOf<Answer<'bulkRuns', 'restore'>>().toExtend<RunTags.RunsUpdatedResponse>();
    expectTypeOf<Answer<'tagColors', 'list'>>().toEqualTypeOf<RunTags.ListTagColorsResponse>();
    expectTypeOf<Answer<'tagColors', 'set'>>().toEqualTypeOf<RunTags.TagColorResponse>();
  });

  it('comments, review requests and policies, activity', () => {
    expectTypeOf<Answer<'comments', 'create'>>().toExtend<Review.CommentResponse>();
    expectTypeOf<Answer<'comments', 'update'>>().toExtend<Review.CommentResponse>();
    expectTypeOf<Answer<'comments', 'list'>>().toExtend<Review.ListCommentsResponse>();
    // The request's own fields come from requestPayload(), typed Record<string, unknown>: only the
    // fields the service adds itself can be held to the protocol.
    type Added = Pick<
      Review.ReviewRequest,
      'status' | 'status_message' | 'approvals' | 'rejections' | 'creation_timestamp' | 'last_updated_timestamp'
    >;
    expectTypeOf<Answer<'reviewRequests', 'get'>>().toExtend<{ request: Loose<Added> }>();
    expectTypeOf<Answer<'reviewRequests', 'create'>>().toExtend<{ request: Loose<Added> }>();
    expectTypeOf<Answer<'reviewRequests', 'list'>>().toExtend<{ requests: Loose<Added>[]; next_page_token?: string }>();
    expectTypeOf<Answer<'reviewDecisions', 'approve'>>().toExtend<{ request: Loose<Added> }>();
    expectTypeOf<Answer<'reviewDecisions', 'reject'>>().toExtend<{ request: Loose<Added> }>();
    expectTypeOf<Answer<'reviewDecisions', 'cancel'>>().toExtend<{ request: Loose<Added> }>();
    expectTypeOf<Answer<'reviewPolicies', 'get'>>().toEqualTypeOf<Review.ReviewPolicyResponse>();
    expectTypeOf<Answer<'reviewPolicies', 'set'>>().toEqualTypeOf<Review.ReviewPolicyResponse>();
    expectTypeOf<Answer<'activity', 'forModel'>>().toExtend<Loose<Review.ListActivityResponse, 'payload'>>();
    expectTypeOf<Answer<'activity', 'forRun'>>().toExtend<Loose<Review.ListActivityResponse, 'payload'>>();
  });

  it('webhooks and their deliveries', () => {
    expectTypeOf<Answer<'webhooks', 'get'>>().toEqualTypeOf<Webhook>();
    expectTypeOf<Answer<'webhooks', 'create'>>().toEqualTypeOf<Webhook>();
    expectTypeOf<Answer<'webhooks', 'update'>>().toEqualTypeOf<Webhook>();
    expectTypeOf<Answer<'webhooks', 'test'>>().toEqualTypeOf<{ result: WebhookTestResult }>();
    expectTypeOf<Answer<'webhookDeliveries', 'get'>>().toExtend<Loose<Review.DeliveryResponse>>();
    expectTypeOf<Answer<'webhookDeliveries', 'redeliver'>>().toExtend<Loose<Review.DeliveryResponse>>();
    expectTypeOf<Answer<'webhookDeliveries', 'list'>>().toExtend<Loose<Review.ListDeliveriesResponse>>();
  });

  it('artifact listings', () => {
    expectTypeOf<Answer<'artifacts', 'listProxy'>>().toEqualTypeOf<{ files?: FileInfo[] }>();
    expectTypeOf<Answer<'artifacts', 'listRun'>>().toEqualTypeOf<{ root_uri: string; files?: FileInfo[] }>();
    expectTypeOf<Answer<'artifacts', 'listModel'>>().toEqualTypeOf<{ root_uri: string; files?: FileInfo[] }>();
  });

  it('model pages', () => {
    expectTypeOf<Answer<'modelPage', 'get'>>().toEqualTypeOf<ModelPages.VersionPageResponse>();
    expectTypeOf<Answer<'modelPage', 'forRunArtifact'>>().toEqualTypeOf<ModelPages.MlModelResponse>();
    expect(true).toBe(true);
  });
});
