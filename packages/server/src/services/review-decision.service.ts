import { Review, TroveError, validateLength } from '@trove/protocol';
import {
  claimReviewRequest,
  closePendingReviewRequest,
  countApprovals,
  findReviewVote,
  finishReviewRequest,
  getReviewRequest,
  insertReviewVote,
  runInTransaction,
  type Store,
} from '@trove/store';
import type { Caller } from '../auth/caller.ts';
import type { ApproverCheck } from '../auth/review-approvers.ts';
import type { ModelVersionService } from './model-version.service.ts';
import type { RegisteredModelService } from './registered-model.service.ts';
import { recordEvent } from './registry-events.ts';
import { type ReviewPolicyService, requireActor } from './review-policy.service.ts';
import { conflict, type RequestRow, type ReviewRequestService, requestPayload } from './review-request.service.ts';
import type { Workspace } from './workspace.service.ts';

/** Who decides: the name the request acts under, and the caller the policy's approver rules are checked against. */
export interface Reviewer {
  name: string | undefined;
  caller: Caller;
}

// How long an approver holds the right to apply a request; after that another approval may retry it.
const APPLY_LEASE_MS = 60_000;

/**
 * Approve, reject, cancel. The approval that reaches the required count claims the request
 * (pending → applying, a guarded UPDATE, so only one approver applies it) and applies the change
 * through the registry services — the same code path as MLflow's API, so its events fire too.
 */
export function createReviewDecisionService(
  store: Store,
  models: RegisteredModelService,
  versions: ModelVersionService,
  requests: ReviewRequestService,
  policies: ReviewPolicyService,
  approvers: ApproverCheck,
) {
  const checkComment = (comment?: string) => comment && validateLength(comment, Review.COMMENT_MAX_LENGTH, 'comment');
  const event = (
    ws: Workspace,
    name: string,
    r: RequestRow,
    action: string,
    actor: string,
    extra: Record<string, unknown>,
  ) => ({
    workspaceId: ws.id,
    modelId: r.model_id,
    modelName: name,
    version: r.version,
    entity: 'transition_request',
    action,
    actor,
    payload: requestPayload(name, r, extra),
  });

  /** Refuses a reviewer outside the approvers the policy's rules for this change name. */
  async function demandReviewer(ws: Workspace, name: string, r: RequestRow, reviewer: Reviewer) {
    const kind = r.action === 'transition' ? 'stage' : 'alias';
    await approvers.demand(reviewer.caller, ws, name, await policies.rulesFor(r.model_id, kind, r.target));
  }

  async function apply(ws: Workspace, name: string, r: RequestRow, approver: string): Promise<void> {
    let status = 'approved';
    let message: string | null = null;
    try {
      const version = String(r.version);
      if (r.action === 'transition')
        await versions.transition(ws, name, version, r.target, Number(r.archive_existing) === 1, approver);
      else if (r.action === 'set_alias') await models.setAlias(ws, name, r.target, version, approver);
      else await models.deleteAlias(ws, name, r.target, approver);
    } catch (e) {
      if (!(e instanceof TroveError)) throw e;
      [status, message] = ['failed', e.message];
    }
    await runInTransaction(store, async (trx) => {
      await finishReviewRequest(trx, r.id, status, message, Date.now());
      await recordEvent(
        trx,
        event(
          ws,
          name,
          { ...r, status, status_message: message },
          status === 'approved' ? 'applied' : 'failed',
          approver,
          message ? { error: message } : {},
        ),
      );
    });
  }

  async function approve(ws: Workspace, name: string, id: string, reviewer: Reviewer, comment?: string) {
    const user = requireActor(reviewer.name, 'Approving a request');
    checkComment(comment);
    const r = await requests.getRow(ws, name, id);
    if (user === r.requester)
      throw new TroveError(
        'PERMISSION_DENIED',
        `User '${user}' requested this change and cannot approve it; another user must.`,
      );
    await demandReviewer(ws, name, r, reviewer);
    const claimed = await runInTransaction(store, async (trx) => {
      const now = Date.now();
      const fresh = await getReviewRequest(trx, r.id);
      if (fresh.status !== 'pending' && fresh.status !== 'applying')
        throw conflict(`Request ${id} is ${fresh.status}; only pending requests can be approved.`);
      const mine = await findReviewVote(trx, r.id, user);
      if (mine === 'reject') throw conflict(`User '${user}' already rejected request ${id}.`);
      // Approving twice is a no-op, which also lets an approver retry a request whose apply was interrupted.
      if (!mine)
        await insertReviewVote(trx, {
          request_id: r.id,
          actor: user,
          decision: 'approve',
          comment: comment || null,
          time: now,
        });
      const approvals = await countApprovals(trx, r.id);
      const ready = approvals >= Number(fresh.required_approvals);
      if (!mine)
        await recordEvent(
          trx,
          event(ws, name, fresh, 'approved', user, {
            approvals,
            approver: user,
            approver_comment: comment ?? '',
            status: ready ? 'approved' : 'pending',
          }),
        );
      if (!ready) return false;
      return claimReviewRequest(trx, r.id, now, now + APPLY_LEASE_MS);
    });
    if (claimed) await apply(ws, name, r, user);
    return requests.get(ws, name, id);
  }

  /** One rejection closes the request. The requester withdraws with cancel instead. */
  async function reject(ws: Workspace, name: string, id: string, reviewer: Reviewer, comment?: string) {
    const user = requireActor(reviewer.name, 'Rejecting a request');
    checkComment(comment);
    const r = await requests.getRow(ws, name, id);
    if (user === r.requester)
      throw new TroveError(
        'PERMISSION_DENIED',
        `User '${user}' requested this change; withdraw it with POST .../requests/${id}/cancel instead.`,
      );
    await demandReviewer(ws, name, r, reviewer);
    await runInTransaction(store, async (trx) => {
      const now = Date.now();
      if (await findReviewVote(trx, r.id, user)) throw conflict(`User '${user}' already voted on request ${id}.`);
      if (!(await closePendingReviewRequest(trx, r.id, { status: 'rejected' }, now)))
        throw conflict(`Request ${id} is no longer pending.`);
      await insertReviewVote(trx, {
        request_id: r.id,
        actor: user,
        decision: 'reject',
        comment: comment || null,
        time: now,
      });
      await recordEvent(
        trx,
        event(ws, name, { ...r, status: 'rejected' }, 'rejected', user, {
          rejected_by: user,
          rejection_comment: comment ?? '',
        }),
      );
    });
    return requests.get(ws, name, id);
  }

  async function cancel(ws: Workspace, name: string, id: string, reviewer: Reviewer, comment?: string) {
    const user = requireActor(reviewer.name, 'Cancelling a request');
    checkComment(comment);
    const r = await requests.getRow(ws, name, id);
    if (user !== r.requester)
      throw new TroveError('PERMISSION_DENIED', `Only the requester ('${r.requester}') can cancel request ${id}.`);
    await runInTransaction(store, async (trx) => {
      if (
        !(await closePendingReviewRequest(
          trx,
          r.id,
          { status: 'cancelled', status_message: comment || null },
          Date.now(),
        ))
      )
        throw conflict(`Request ${id} is no longer pending.`);
      await recordEvent(
        trx,
        event(ws, name, { ...r, status: 'cancelled' }, 'cancelled', user, { cancel_comment: comment ?? '' }),
      );
    });
    return requests.get(ws, name, id);
  }

  return { approve, reject, cancel };
}

export type ReviewDecisionService = ReturnType<typeof createReviewDecisionService>;
