/** Trove's native registry API (`/api/trove/v1`) and MLflow 3's webhook API: one function per endpoint. */
import { apiDelete, apiGet, apiPatch, apiPost, troveGet, troveSend } from './client.ts';
import type { DatasetInput, ModelVersion, Run } from './types.ts';

const m = (name: string) => `/registered-models/${encodeURIComponent(name)}`;
const mv = (name: string, version: string) => `${m(name)}/versions/${encodeURIComponent(version)}`;

export interface MlModelInfo {
  artifact_path?: string;
  flavors: Record<string, Record<string, unknown> | undefined>;
  signature?: { inputs?: unknown; outputs?: unknown; params?: unknown };
  saved_input_example_info?: Record<string, unknown>;
  model_uuid?: string;
  run_id?: string;
  utc_time_created?: string;
  mlflow_version?: string;
  model_size_bytes?: number;
}

export interface VersionPage {
  model_version: ModelVersion;
  run?: Run;
  datasets: (DatasetInput['dataset'] & { context?: string })[];
  mlmodel?: MlModelInfo;
  input_example?: unknown;
  mlmodel_error?: string;
  lineage: {
    datasets: { name: string; digest: string; context?: string }[];
    run?: { run_id: string; run_name?: string; experiment_id: string };
    logged_model_id?: string;
    model_version: { name: string; version: string };
    stage?: string;
    aliases: string[];
  };
}

export const getVersionPage = (name: string, version: string, signal?: AbortSignal) => troveGet<VersionPage>(mv(name, version), {}, signal);

export interface Comment {
  comment_id: string;
  author: string;
  body: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
}

export async function listComments(name: string, version: string, signal?: AbortSignal): Promise<Comment[]> {
  const out: Comment[] = [];
  let token: string | undefined;
  do {
    const r = await troveGet<{ comments: Comment[]; next_page_token?: string }>(`${mv(name, version)}/comments`, { page_token: token, max_results: 200 }, signal);
    out.push(...r.comments);
    token = r.next_page_token;
  } while (token && out.length < 2000);
  return out;
}
export const addComment = (name: string, version: string, body: string) => troveSend<{ comment: Comment }>('POST', `${mv(name, version)}/comments`, { body });
export const editComment = (id: string, body: string) => troveSend<{ comment: Comment }>('PATCH', `/comments/${encodeURIComponent(id)}`, { body });
export const deleteComment = (id: string) => troveSend<unknown>('DELETE', `/comments/${encodeURIComponent(id)}`);

export interface Vote {
  user: string;
  decision: 'approve' | 'reject';
  comment?: string;
  timestamp: number;
}

export interface ReviewRequest {
  request_id: string;
  name: string;
  version: string;
  action: 'transition' | 'alias' | string;
  stage?: string;
  archive_existing_versions?: boolean;
  alias?: string;
  remove_alias?: boolean;
  requester: string;
  comment: string;
  status: string;
  status_message?: string;
  required_approvals: number;
  approvals: Vote[];
  rejections: Vote[];
  creation_timestamp: number;
  last_updated_timestamp: number;
}

export const listRequests = (name: string, status: string | undefined, signal?: AbortSignal) =>
  troveGet<{ requests: ReviewRequest[]; next_page_token?: string }>(`${m(name)}/requests`, { status, max_results: 100 }, signal);

export interface NewRequest {
  stage?: string;
  archive_existing_versions?: boolean;
  alias?: string;
  remove_alias?: boolean;
  comment?: string;
}
export const createRequest = (name: string, version: string, body: NewRequest) => troveSend<{ request: ReviewRequest }>('POST', `${mv(name, version)}/requests`, body);
export const decideRequest = (name: string, id: string, verb: 'approve' | 'reject' | 'cancel', comment: string) =>
  troveSend<{ request: ReviewRequest }>('POST', `${m(name)}/requests/${encodeURIComponent(id)}/${verb}`, comment ? { comment } : {});

export interface PolicyRule {
  kind: 'stage' | 'alias';
  target: string;
  required_approvals: number;
}
export const getPolicy = (name: string, signal?: AbortSignal) => troveGet<{ policy: { name: string; rules: PolicyRule[] } }>(`${m(name)}/review-policy`, {}, signal);
export const setPolicy = (name: string, rules: PolicyRule[]) => troveSend<{ policy: { name: string; rules: PolicyRule[] } }>('PUT', `${m(name)}/review-policy`, { rules });

export interface ActivityEvent {
  event_id: string;
  timestamp: number;
  entity: string;
  action: string;
  actor?: string;
  name?: string;
  version?: string;
  run_id?: string;
  payload: Record<string, unknown> | null;
}
export const modelActivity = (name: string, pageToken: string | undefined, signal?: AbortSignal) =>
  troveGet<{ events: ActivityEvent[]; next_page_token?: string }>(`${m(name)}/activity`, { page_token: pageToken, max_results: 50 }, signal);

// Webhooks: MLflow 3's API for the hooks themselves, Trove's for the delivery log.
export interface WebhookEvent {
  entity: string;
  action: string;
}
export interface Webhook {
  webhook_id: string;
  name: string;
  url: string;
  description?: string;
  events: WebhookEvent[];
  status: 'ACTIVE' | 'DISABLED';
  creation_timestamp: number;
  last_updated_timestamp: number;
}
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
    const r = await apiGet<{ webhooks?: Webhook[]; next_page_token?: string }>('/webhooks', { page_token: token, max_results: 100 }, signal);
    out.push(...(r.webhooks ?? []));
    token = r.next_page_token || undefined;
  } while (token && out.length < 1000);
  return out;
}
export const getWebhook = async (id: string, signal?: AbortSignal) => (await apiGet<{ webhook: Webhook }>(`/webhooks/${encodeURIComponent(id)}`, {}, signal)).webhook;
export const createWebhook = async (input: WebhookInput) => (await apiPost<{ webhook: Webhook }>('/webhooks', input)).webhook;
export const updateWebhook = async (id: string, input: WebhookInput) => (await apiPatch<{ webhook: Webhook }>(`/webhooks/${encodeURIComponent(id)}`, input)).webhook;
export const deleteWebhook = (id: string) => apiDelete<unknown>(`/webhooks/${encodeURIComponent(id)}`);

export interface TestResult {
  success: boolean;
  response_status?: number;
  response_body?: string;
  error_message?: string;
}
export const testWebhook = async (id: string, event?: WebhookEvent) =>
  (await apiPost<{ result: TestResult }>(`/webhooks/${encodeURIComponent(id)}/test`, event ? { event } : {})).result;

export interface DeliveryAttempt {
  attempt: number;
  timestamp: number;
  success: boolean;
  latency_ms: number;
  status_code?: number;
  response_excerpt?: string;
  error?: string;
}
export interface Delivery {
  delivery_id: string;
  webhook_id: string;
  event_id?: string;
  entity: string;
  action: string;
  status: string;
  attempt_count: number;
  creation_timestamp: number;
  next_attempt_timestamp?: number;
  last_attempt_timestamp?: number;
  payload: unknown;
  attempts: DeliveryAttempt[];
}
export const listDeliveries = (webhookId: string, status: string | undefined, signal?: AbortSignal) =>
  troveGet<{ deliveries: Delivery[]; next_page_token?: string }>(`/webhooks/${encodeURIComponent(webhookId)}/deliveries`, { status, max_results: 100 }, signal);
export const redeliver = (deliveryId: string) => troveSend<{ delivery: Delivery }>('POST', `/webhooks/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
