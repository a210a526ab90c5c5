import { invalidParam, notFound, Review, TroveError, validateLength } from '@trove/protocol';
import {
  findReviewRequest,
  insertReviewRequest,
  listReviewRequests,
  listReviewVotes,
  type ReviewRequestRow,
  runInTransaction,
  type Store,
} from '@trove/store';
import type { ModelVersionService } from './model-version.service.ts';
import { decodeIdToken, encodeIdToken, pageSize } from './offset-token.ts';
import { canonicalStage, type RegisteredModelService, validateAlias } from './registered-model.service.ts';
import { recordEvent } from './registry-events.ts';
import { type ReviewPolicyService, requireActor } from './review-policy.service.ts';
import type { Workspace } from './workspace.service.ts';

export type RequestRow = ReviewRequestRow;
const REQUEST_STATUSES: readonly string[] = Review.REQUEST_STATUSES;

export const conflict = (message: string) => new TroveError('RESOURCE_CONFLICT', message);

/** What events about a request carry (activity log and webhook payload). */
export function requestPayload(
  name: string,
  r: RequestRow,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const target =
    r.action === 'transition'
      ? { stage: r.target, archive_existing_versions: Number(r.archive_existing) === 1 }
      : { alias: r.target };
  return {
    request_id: String(r.id),
    name,
    version: String(r.version),
    action: r.action,
    ...target,
    requester: r.requester,
    comment: r.comment ?? '',
    status: r.status,
    required_approvals: Number(r.required_approvals),
    ...extra,
  };
}

/** Review requests: a stage transition or an alias change on one model version, waiting for approval. */
export function createReviewRequestService(
  store: Store,
  models: RegisteredModelService,
  versions: ModelVersionService,
  policies: ReviewPolicyService,
) {
  const { db } = store;

  async function present(name: string, rows: RequestRow[]) {
    const ids = rows.map((r) => r.id);
    const votes = await listReviewVotes(db, ids);
    return rows.map((r) => {
      const mine = votes
        .filter((v) => Number(v.request_id) === Number(r.id))
        .map((v) => ({
          user: v.actor,
          decision: v.decision,
          ...(v.comment ? { comment: v.comment } : {}),
          timestamp: Number(v.time),
        }));
      const { status: _s, ...rest } = requestPayload(name, r);
      return {
        ...rest,
        status: r.status,
        ...(r.status_message ? { status_message: r.status_message } : {}),
        approvals: mine.filter((v) => v.decision === 'approve'),
        rejections: mine.filter((v) => v.decision === 'reject'),
        creation_timestamp: Number(r.creation_time),
        last_updated_timestamp: Number(r.last_update_time),
      };
    });
  }

  async function getRow(ws: Workspace, name: string, id: string): Promise<RequestRow> {
    const model = await models.getRow(ws, name);
    if (!/^\d{1,15}$/.test(id)) throw invalidParam(`Request id must be an integer, got '${id}'.`);
    const row = await findReviewRequest(db, model.id, Number(id));
    if (!row) throw notFound(`Review request ${id} of registered model '${name}' not found.`);
    return row;
  }

  async function get(ws: Workspace, name: string, id: string) {
    return { request: (await present(name, [await getRow(ws, name, id)]))[0] };
  }

  async function create(
    ws: Workspace,
    name: string,
    version: string,
    input: {
      stage?: string;
      archive_existing_versions?: boolean;
      alias?: string;
      remove_alias?: boolean;
      comment?: string;
    },
    actor: string | undefined,
  ) {
    const requester = requireActor(actor, 'Requesting a change');
    if (!input.stage === !input.alias) throw invalidParam("Give exactly one of 'stage' or 'alias'.");
    if (input.comment) validateLength(input.comment, Review.COMMENT_MAX_LENGTH, 'comment');
    const mv = await versions.getRow(ws, name, version);
    let kind: 'stage' | 'alias';
    let action: string;
    let target: string;
    if (input.stage) {
      [kind, action, target] = ['stage', 'transition', canonicalStage(input.stage)];
      if (input.archive_existing_versions && target !== 'Staging' && target !== 'Production')
        throw invalidParam(
          `archive_existing_versions is only allowed when moving to Staging or Production, not '${target}'.`,
        );
    } else {
      validateAlias(input.alias as string);
      [kind, action, target] = ['alias', input.remove_alias ? 'delete_alias' : 'set_alias', input.alias as string];
    }
    // Without a policy a request still needs one approval: it is a review, not a bypass.
    const required = Math.max(1, await policies.required(mv.model_id, kind, target));
    const now = Date.now();
    const id = await runInTransaction(store, async (trx) => {
      const row = await insertReviewRequest(trx, {
        workspace_id: ws.id,
        model_id: mv.model_id,
        version: mv.version,
        action,
        target,
        archive_existing: input.archive_existing_versions ? 1 : 0,
        requester,
        comment: input.comment || null,
        status: 'pending',
        required_approvals: required,
        status_message: null,
        claimed_until: 0,
        creation_time: now,
        last_update_time: now,
      });
      await recordEvent(trx, {
        workspaceId: ws.id,
        modelId: mv.model_id,
        modelName: name,
        version: mv.version,
        entity: 'transition_request',
        action: 'created',
        actor: requester,
        payload: requestPayload(name, row, { approvals: 0 }),
      });
      return String(row.id);
    });
    return get(ws, name, id);
  }

  /** Newest first; optionally only one status. */
  async function list(
    ws: Workspace,
    name: string,
    input: { status?: string; max_results?: number | bigint; page_token?: string },
  ) {
    const model = await models.getRow(ws, name);
    if (input.status !== undefined && !REQUEST_STATUSES.includes(input.status))
      throw invalidParam(`Invalid request status '${input.status}'. Valid values are: ${REQUEST_STATUSES.join(', ')}.`);
    const max = pageSize(input.max_results);
    const before = decodeIdToken(input.page_token);
    const rows = await listReviewRequests(db, model.id, { status: input.status, before, limit: max + 1 });
    const page = rows.slice(0, max);
    return {
      requests: await present(name, page),
      next_page_token: rows.length > max ? encodeIdToken(Number(page[page.length - 1].id)) : undefined,
    };
  }

  return { getRow, get, create, list };
}

export type ReviewRequestService = ReturnType<typeof createReviewRequestService>;
