import * as z from 'zod/mini';
import { fieldName, parseDocument } from '../document.ts';
import { bool, defineMessage, i32, objList, str } from '../message.ts';

// Request and response messages of Trove's native review, comment, activity and delivery API
// (/api/trove/v1).

export const Page = defineMessage({ max_results: i32(), page_token: str() });
export const RequestList = defineMessage({ status: str(), max_results: i32(), page_token: str() });
export const SetReviewPolicy = defineMessage({ rules: objList() });
export const CreateReviewRequest = defineMessage({
  stage: str(),
  archive_existing_versions: bool(),
  alias: str(),
  remove_alias: bool(),
  comment: str(),
});
export const Decision = defineMessage({ comment: str() });
export const CommentBody = defineMessage({ body: str(true) });
export const DeliveryList = defineMessage({ status: str(), max_results: i32(), page_token: str() });

/** Longest comment body accepted (characters). */
export const COMMENT_MAX_LENGTH = 65_535;

/** A review request's state: `pending` until decided; `applying` while an approved change is made. */
export const REQUEST_STATUSES = ['pending', 'applying', 'approved', 'rejected', 'cancelled', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A webhook delivery's state in the outbox. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

// Responses.

/** A comment on a model version (`name`, `version`) or on a run (`run_id`). */
export interface Comment {
  comment_id: string;
  name?: string;
  version?: string;
  run_id?: string;
  author: string;
  body: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
}

/** Create and update answer `{comment}`. */
export interface CommentResponse {
  comment: Comment;
}

/** Oldest first, as a thread reads. */
export interface ListCommentsResponse {
  comments: Comment[];
  next_page_token?: string;
}

export interface Vote {
  user: string;
  decision: 'approve' | 'reject';
  comment?: string;
  timestamp: number;
}

/**
 * A stage transition (`action` 'transition': `stage`, `archive_existing_versions`) or an alias
 * change ('set_alias', 'delete_alias': `alias`) on one model version, waiting for approval.
 */
export interface ReviewRequest {
  request_id: string;
  name: string;
  version: string;
  action: 'transition' | 'set_alias' | 'delete_alias';
  stage?: string;
  archive_existing_versions?: boolean;
  alias?: string;
  requester: string;
  comment: string;
  status: RequestStatus;
  status_message?: string;
  required_approvals: number;
  approvals: Vote[];
  rejections: Vote[];
  creation_timestamp: number;
  last_updated_timestamp: number;
}

/** Create, get and the decisions (approve, reject, cancel) answer `{request}`. */
export interface ReviewRequestResponse {
  request: ReviewRequest;
}

/** Newest first. */
export interface ListRequestsResponse {
  requests: ReviewRequest[];
  next_page_token?: string;
}

/** Most approvals one review policy rule may require. */
export const MAX_REQUIRED_APPROVALS = 20;

/** Most groups one rule may name as approvers. */
export const MAX_APPROVER_GROUPS = 20;

/** The least an approver must hold on the model, weakest first (see docs/auth.md, "Reviews"). */
export const APPROVER_ROLES = ['editor', 'manager', 'admin'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/**
 * Which stages (canonical names) or aliases need approval, and from how many distinct users; `*`
 * is every one. With authentication on, `approver_groups` (a member of any one of them) and
 * `approver_role` narrow who may approve or reject; a rule without them lets any user who may
 * read the model do so. Other fields of a rule are ignored.
 *
 * @example { "kind": "stage", "target": "Production", "required_approvals": 2, "approver_groups": ["ml-leads"] }
 */
function policyRuleSchema() {
  const approvals = { error: `must be an integer from 1 to ${MAX_REQUIRED_APPROVALS}` };
  const groups = { error: `must be a list of 1 to ${MAX_APPROVER_GROUPS} group names` };
  const groupName = { error: 'must be a group name' };
  return z.object(
    {
      kind: z.enum(['stage', 'alias'], { error: "must be 'stage' or 'alias'" }),
      target: z.string().check(z.minLength(1)),
      required_approvals: z.int(approvals).check(z.gte(1, approvals), z.lte(MAX_REQUIRED_APPROVALS, approvals)),
      approver_groups: z.optional(
        z
          .array(z.string(groupName).check(z.minLength(1, groupName)), groups)
          .check(z.minLength(1, groups), z.maxLength(MAX_APPROVER_GROUPS, groups)),
      ),
      approver_role: z.optional(z.enum(APPROVER_ROLES, { error: "must be 'editor', 'manager' or 'admin'" })),
    },
    { error: 'must be an object {kind, target, required_approvals}' },
  );
}
export type PolicyRule = z.infer<ReturnType<typeof policyRuleSchema>>;

/** Reads one rule of a review policy (`field`: its name in messages, as `rules[0]`); the target is as sent. */
export function readPolicyRule(v: unknown, field: string): PolicyRule {
  return parseDocument(policyRuleSchema, v, (issues) => {
    const iss = issues[0];
    const name = fieldName(field, iss.path);
    return iss.path[0] === 'target' ? `Missing value for required parameter '${name}'.` : `${name} ${iss.message}.`;
  });
}

export interface ReviewPolicyResponse {
  policy: { name: string; rules: PolicyRule[] };
}

/** One entry of a model's or a run's activity log. */
export interface ActivityEvent {
  event_id: string;
  timestamp: number;
  /** MLflow webhook entity names in lower case, or Trove's own (`transition_request`, `comment`, `review_policy`). */
  entity: string;
  action: string;
  actor?: string;
  name?: string;
  version?: string;
  run_id?: string;
  /** What the event recorded (for a comment, the comment; for a request, the request). */
  payload: Record<string, unknown>;
}

/** Newest first. */
export interface ListActivityResponse {
  events: ActivityEvent[];
  next_page_token?: string;
}

export interface DeliveryAttempt {
  attempt: number;
  timestamp: number;
  success: boolean;
  latency_ms: number;
  status_code?: number;
  response_excerpt?: string;
  error?: string;
}

/** One webhook delivery from the outbox, with every attempt. */
export interface Delivery {
  delivery_id: string;
  webhook_id: string;
  event_id?: string;
  entity: string;
  action: string;
  status: DeliveryStatus;
  attempt_count: number;
  creation_timestamp: number;
  /** Only while `pending`. */
  next_attempt_timestamp?: number;
  last_attempt_timestamp?: number;
  /** The body delivered (the same bytes on every attempt). */
  payload: unknown;
  attempts: DeliveryAttempt[];
}

/** Get and redeliver answer `{delivery}`. */
export interface DeliveryResponse {
  delivery: Delivery;
}

/** Newest first. */
export interface ListDeliveriesResponse {
  deliveries: Delivery[];
  next_page_token?: string;
}
