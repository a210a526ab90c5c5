import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Outbox tables whose rows are claimed for a lease: both share the columns the claim reads and sets. */
export type LeasedOutbox = 'webhook_deliveries' | 'notification_deliveries';

/**
 * Claims one pending, due row for `leaseMs`. The WHERE clause re-checks the state the candidate was
 * picked in, so of two processes racing for the same row exactly one updates it (PostgreSQL
 * re-evaluates the condition after waiting for the row lock; SQLite serialises writers).
 */
export async function claimLeasedRow(
  db: Kysely<Database>,
  table: LeasedOutbox,
  deliveryId: string,
  now: number,
  leaseMs: number,
  token: string,
): Promise<boolean> {
  // Both tables have these columns with the same types; Kysely cannot prove it for a union of names.
  const outbox = db as unknown as Kysely<Pick<Database, 'webhook_deliveries'>>;
  const res = await outbox
    .updateTable(table as 'webhook_deliveries')
    .set({ claimed_until: now + leaseMs, claim_token: token })
    .where('delivery_id', '=', deliveryId)
    .where('status', '=', 'pending')
    .where('next_attempt_time', '<=', now)
    .where('claimed_until', '<', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
