import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ReviewPolicyTable, ReviewRequestTable, ReviewVoteTable } from '../schema.ts';

export type ReviewRequestRow = Selectable<ReviewRequestTable>;
export type NewReviewRequest = Insertable<ReviewRequestTable>;
export type ReviewVoteRow = Selectable<ReviewVoteTable>;
export type NewReviewVote = Insertable<ReviewVoteTable>;
export type ReviewPolicyRow = Selectable<ReviewPolicyTable>;
export type ReviewPolicyRule = Omit<Insertable<ReviewPolicyTable>, 'model_id'>;

/** Removes a registered model's review policy, requests, votes and version comments (hard model delete). */
export async function purgeModelReviewData(db: Kysely<Database>, modelId: number): Promise<void> {
  await db
    .deleteFrom('review_votes')
    .where('request_id', 'in', db.selectFrom('review_requests').select('id').where('model_id', '=', modelId))
    .execute();
  for (const table of ['review_requests', 'review_policies', 'comments'] as const)
    await db.deleteFrom(table).where('model_id', '=', modelId).execute();
}

/** Pending requests on a version that is being deleted can never apply: they are cancelled. */
export async function cancelVersionRequests(
  db: Kysely<Database>,
  modelId: number,
  version: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('review_requests')
    .set({ status: 'cancelled', status_message: 'The model version was deleted.', last_update_time: now })
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .where('status', '=', 'pending')
    .execute();
}

// ---- Policies -------------------------------------------------------------------------------

/** A model's policy rules, by kind then target. */
export function listReviewPolicyRules(db: Kysely<Database>, modelId: number): Promise<ReviewPolicyRow[]> {
  return db
    .selectFrom('review_policies')
    .selectAll()
    .where('model_id', '=', modelId)
    .orderBy('kind')
    .orderBy('target')
    .execute();
}

/** Replaces a model's whole policy; no rules removes it. */
export async function replaceReviewPolicy(
  db: Kysely<Database>,
  modelId: number,
  rules: readonly ReviewPolicyRule[],
): Promise<void> {
  await db.deleteFrom('review_policies').where('model_id', '=', modelId).execute();
  if (rules.length > 0)
    await db
      .insertInto('review_policies')
      .values(rules.map((r) => ({ model_id: modelId, ...r })))
      .execute();
}

/** The rules for `target` and for every target of `kind` ('*'): a change must satisfy all of them. */
export function reviewPolicyRulesFor(
  db: Kysely<Database>,
  modelId: number,
  kind: string,
  target: string,
): Promise<ReviewPolicyRow[]> {
  return db
    .selectFrom('review_policies')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('kind', '=', kind)
    .where('target', 'in', [target, '*'])
    .execute();
}

// ---- Requests -------------------------------------------------------------------------------

/** Inserts a request and returns it as stored. */
export function insertReviewRequest(db: Kysely<Database>, row: NewReviewRequest): Promise<ReviewRequestRow> {
  return db.insertInto('review_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A request of one registered model. */
export function findReviewRequest(
  db: Kysely<Database>,
  modelId: number,
  id: number,
): Promise<ReviewRequestRow | undefined> {
  return db
    .selectFrom('review_requests')
    .selectAll()
    .where('id', '=', id)
    .where('model_id', '=', modelId)
    .executeTakeFirst();
}

/** A request known to exist (re-read inside a transaction); throws when it does not. */
export function getReviewRequest(db: Kysely<Database>, id: number): Promise<ReviewRequestRow> {
  return db.selectFrom('review_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** A model's requests, newest first, optionally of one status, keyset-paged below `before`. */
export function listReviewRequests(
  db: Kysely<Database>,
  modelId: number,
  page: { status?: string; before?: number; limit: number },
): Promise<ReviewRequestRow[]> {
  let q = db.selectFrom('review_requests').selectAll().where('model_id', '=', modelId);
  if (page.status) q = q.where('status', '=', page.status);
  if (page.before !== undefined) q = q.where('id', '<', page.before);
  return q.orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * Claims a request for applying until `claimedUntil`: a pending one, or one whose previous
 * applier's claim has run out. Guarded, so of concurrent approvers exactly one gets it.
 */
export async function claimReviewRequest(
  db: Kysely<Database>,
  id: number,
  now: number,
  claimedUntil: number,
): Promise<boolean> {
  const res = await db
    .updateTable('review_requests')
    .set({ status: 'applying', claimed_until: claimedUntil, last_update_time: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'applying'), eb('claimed_until', '<', now)])]),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Records how applying a claimed request ended (`approved` or `failed`), if it is still being applied. */
export async function finishReviewRequest(
  db: Kysely<Database>,
  id: number,
  status: string,
  message: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('review_requests')
    .set({ status, status_message: message, claimed_until: 0, last_update_time: now })
    .where('id', '=', id)
    .where('status', '=', 'applying')
    .execute();
}

/** Moves a pending request to `rejected` or `cancelled`; false when it was no longer pending. */
export async function closePendingReviewRequest(
  db: Kysely<Database>,
  id: number,
  change: { status: 'rejected' } | { status: 'cancelled'; status_message: string | null },
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('review_requests')
    .set({ ...change, last_update_time: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

// ---- Votes ----------------------------------------------------------------------------------

/** The votes on the given requests, oldest first. */
export async function listReviewVotes(db: Kysely<Database>, requestIds: readonly number[]): Promise<ReviewVoteRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('review_votes')
    .selectAll()
    .where('request_id', 'in', [...requestIds])
    .orderBy('time')
    .execute();
}

/** The decision (`approve` | `reject`) a user gave on a request, if any. */
export async function findReviewVote(
  db: Kysely<Database>,
  requestId: number,
  actor: string,
): Promise<string | undefined> {
  return (
    await db
      .selectFrom('review_votes')
      .select('decision')
      .where('request_id', '=', requestId)
      .where('actor', '=', actor)
      .executeTakeFirst()
  )?.decision;
}

export async function insertReviewVote(db: Kysely<Database>, row: NewReviewVote): Promise<void> {
  await db.insertInto('review_votes').values(row).execute();
}

export async function countApprovals(db: Kysely<Database>, requestId: number): Promise<number> {
  const row = await db
    .selectFrom('review_votes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('request_id', '=', requestId)
    .where('decision', '=', 'approve')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
