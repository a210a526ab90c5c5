import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Removes a registered model's review policy, requests, votes and version comments (hard model delete). */
export async function purgeModelReviewData(db: Kysely<Database>, modelId: number): Promise<void> {
  await db
    .deleteFrom('review_votes')
    .where('request_id', 'in', db.selectFrom('review_requests').select('id').where('model_id', '=', modelId))
    .execute();
  for (const table of ['review_requests', 'review_policies', 'comments'] as const) await db.deleteFrom(table).where('model_id', '=', modelId).execute();
}

/** Pending requests on a version that is being deleted can never apply: they are cancelled. */
export async function cancelVersionRequests(db: Kysely<Database>, modelId: number, version: number, now: number): Promise<void> {
  await db
    .updateTable('review_requests')
    .set({ status: 'cancelled', status_message: 'The model version was deleted.', last_update_time: now })
    .where('model_id', '=', modelId)
    .where('version', '=', version)
    .where('status', '=', 'pending')
    .execute();
}
