/** Trove's native registry API (`/api/trove/v1`) and MLflow 3's webhook API: one function per endpoint. */
import type { ModelHistory, ModelPages, Review, Webhook, WebhookTestResult } from '@trove/protocol';
import { apiDelete, apiGet, apiPatch, apiPost, troveGet, troveSend } from './client.ts';
import type { Parsed } from './types.ts';

const m = (name: string) => `/registered-models/${encodeURIComponent(name)}`;
const mv = (name: string, version: string) => `${m(name)}/versions/${encodeURIComponent(version)}`;

export type MlModelInfo = ModelPages.MlModelInfo;
export type VersionPage = Parsed<ModelPages.VersionPageResponse>;

export const getVersionPage = (name: string, version: string, signal?: AbortSignal) =>
  troveGet<ModelPages.VersionPageResponse>(mv(name, version), {}, signal);

export type VersionHistory = ModelHistory.ModelHistoryResponse;

export const getVersionHistory = (
  name: string,
  version: string,
  query: { metric?: string; order?: string },
  signal?: AbortSignal,
) =>
  troveGet<ModelHistory.ModelHistoryResponse>(
    `${mv(name, version)}/history`,
    { metric: query.metric || undefined, order: query.order || undefined },
    signal,
  );

export type Comment = Review.Comment;

export async function listComments(name: string, version: string, signal?: AbortSignal): Promise<Comment[]> {
  const out: Comment[] = [];
  let token: string | undefined;
  do {
    const r = await troveGet<Review.ListCommentsResponse>(
      `${mv(name, version)}/comments`,
      { page_token: token, max_results: 200 },
      signal,
    );
    out.push(...r.comments);
    token = r.next_page_token;
  } while (token && out.length < 2000);
  return out;
}
export const addComment = (name: string, version: string, body: string) =>
  troveSend<Review.CommentResponse>('POST', `${mv(name, version)}/comments`, { body });
export const editComment = (id: string, body: string) =>
  troveSend<Review.CommentResponse>('PATCH', `/comments/${encodeURIComponent(id)}`, { body });
export const deleteComment = (id: string) => troveSend<unknown>('DELETE', `/comments/${encodeURIComponent(id)}`);

export type Vote = Review.Vote;
export type ReviewRequest = Review.ReviewRequest;

export const listRequests = (name: string, status: string | undefined, signal?: AbortSignal) =>
  troveGet<Review.ListRequestsResponse>(`${m(name)}/requests`, { status, max_results: 100 }, signal);

/** The body of `POST …/versions/{version}/requests` (Review.CreateReviewRequest): exactly one of `stage` or `alias`. */
export interface NewRequest {
  stage?: string;
  archive_existing_versions?: boolean;
  alias?: string;
  remove_alias?: boolean;
  comment?: string;
}
export const createRequest = (name: string, version: string, body: NewRequest) =>
  troveSend<Review.ReviewRequestResponse>('POST', `${mv(name, version)}/requests`, body);
export const decideRequest = (name: string, id: string, verb: 'approve' | 'reject' | 'cancel', comment: string) =>
  troveSend<Review.ReviewRequestResponse>(
    'POST',
    `${m(name)}/requests/${encodeURIComponent(id)}/${verb}`,
    comment ? { comment } : {},
  );

export type PolicyRule = Review.PolicyRule;
export const getPolicy = (name: string, signal?: AbortSignal) =>
  troveGet<Review.ReviewPolicyResponse>(`${m(name)}/review-policy`, {}, signal);
export const setPolicy = (name: string, rules: PolicyRule[]) =>
  troveSend<Review.ReviewPolicyResponse>('PUT', `${m(name)}/review-policy`, { rules });

export type ActivityEvent = Review.ActivityEvent;
export const modelActivity = (name: string, pageToken: string | undefined, signal?: AbortSignal) =>
  troveGet<Review.ListActivityResponse>(`${m(name)}/activity`, { page_token: pageToken, max_results: 50 }, signal);

// Webhooks: MLflow 3's API for the hooks themselves, Trove's for the delivery log.
export type { Webhook };
/** An event as the form edits it (the server answers with upper-case enum names). */
export interface WebhookEvent {
  entity: string;
  action: string;
}
/** The body of create and update (Webhooks.CreateWebhook, Webhooks.UpdateWebhook). */
export interface WebhookInput {
  name?: string;
  url?: string;
  description?: string;
  secret?: string;
  events?: WebhookEvent[];
  status?: 'ACTIVE' | 'DISABLED';
}

export async function listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
  const out: Webhook[] = [];
  let token: string | undefined;
  do {
    const r = await apiGet<{ webhooks?: Webhook[]; next_page_token?: string }>(
      '/webhooks',
      { page_token: token, max_results: 100 },
      signal,
    );
    out.push(...(r.webhooks ?? []));
    token = r.next_page_token || undefined;
  } while (token && out.length < 1000);
  return out;
}
export const getWebhook = async (id: string, signal?: AbortSignal) =>
  (await apiGet<{ webhook: Webhook }>(`/webhooks/${encodeURIComponent(id)}`, {}, signal)).webhook;
export const createWebhook = async (input: WebhookInput) =>
  (await apiPost<{ webhook: Webhook }>('/webhooks', input)).webhook;
export const updateWebhook = async (id: string, input: WebhookInput) =>
  (await apiPatch<{ webhook: Webhook }>(`/webhooks/${encodeURIComponent(id)}`, input)).webhook;
export const deleteWebhook = (id: string) => apiDelete<unknown>(`/webhooks/${encodeURIComponent(id)}`);

export type TestResult = WebhookTestResult;
export const testWebhook = async (id: string, event?: WebhookEvent) =>
  (await apiPost<{ result: TestResult }>(`/webhooks/${encodeURIComponent(id)}/test`, event ? { event } : {})).result;

export type DeliveryAttempt = Review.DeliveryAttempt;
export type Delivery = Review.Delivery;
export const listDeliveries = (webhookId: string, status: string | undefined, signal?: AbortSignal) =>
  troveGet<Review.ListDeliveriesResponse>(
    `/webhooks/${encodeURIComponent(webhookId)}/deliveries`,
    { status, max_results: 100 },
    signal,
  );
export const redeliver = (deliveryId: string) =>
  troveSend<Review.DeliveryResponse>('POST', `/webhooks/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
