import type { Kysely, Selectable } from 'kysely';
import { claimLeasedRow } from './leased-claim.ts';
import type { Database, NotificationDeliveryTable } from './schema.ts';

export type NotificationDeliveryRow = Selectable<NotificationDeliveryTable>;

/** Queues one delivery of a notification to one channel; the (notification, channel) key makes it once. */
export async function insertNotificationDelivery(
  db: Kysely<Database>,
  d: { deliveryId: string; notificationId: number; user: string; channel: string; now: number },
): Promise<void> {
  await db
    .insertInto('notification_deliveries')
    .values({
      delivery_id: d.deliveryId,
      notification_id: d.notificationId,
      user_name: d.user,
      channel: d.channel,
      status: 'pending',
      attempts: 0,
      next_attempt_time: d.now,
      claimed_until: 0,
      claim_token: null,
      creation_time: d.now,
      last_attempt_time: null,
      sent_time: null,
      last_error: null,
    })
    .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
    .execute();
}

/** Pending deliveries due now and not claimed. */
export async function dueNotificationDeliveries(db: Kysely<Database>, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('notification_deliveries')
    .select('delivery_id')
    .where('status', '=', 'pending')
    .where('next_attempt_time', '<=', now)
    .where('claimed_until', '<', now)
    .orderBy('next_attempt_time')
    .limit(limit)
    .execute();
  return rows.map((r) => r.delivery_id);
}

/** Claims a delivery for `leaseMs` (see `claimLeasedRow`) and reads it back. */
export async function claimNotificationDelivery(
  db: Kysely<Database>,
  deliveryId: string,
  now: number,
  leaseMs: number,
  token: string,
): Promise<NotificationDeliveryRow | undefined> {
  if (!(await claimLeasedRow(db, 'notification_deliveries', deliveryId, now, leaseMs, token))) return undefined;
  return db.selectFrom('notification_deliveries').selectAll().where('delivery_id', '=', deliveryId).executeTakeFirst();
}

export type NotificationOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'failed' | 'skipped'; error: string };

/** Records an attempt's outcome, if this claimer still holds the delivery. */
export async function finishNotificationDelivery(
  db: Kysely<Database>,
  deliveryId: string,
  token: string,
  now: number,
  outcome: NotificationOutcome,
): Promise<void> {
  await db
    .updateTable('notification_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: outcome.kind === 'retry' ? 'pending' : outcome.kind,
      next_attempt_time: outcome.kind === 'retry' ? outcome.at : now,
      claimed_until: 0,
      claim_token: null,
      last_attempt_time: now,
      sent_time: outcome.kind === 'sent' ? now : null,
      last_error: outcome.kind === 'sent' ? null : outcome.error,
    }))
    .where('delivery_id', '=', deliveryId)
    .where('claim_token', '=', token)
    .execute();
}

/** A user's deliveries (newest first): what the settings page shows of failures. */
export function listNotificationDeliveries(
  db: Kysely<Database>,
  where: { user?: string; notificationId?: number },
  limit = 100,
): Promise<NotificationDeliveryRow[]> {
  let q = db.selectFrom('notification_deliveries').selectAll().orderBy('id', 'desc').limit(limit);
  if (where.user !== undefined) q = q.where('user_name', '=', where.user);
  if (where.notificationId !== undefined) q = q.where('notification_id', '=', where.notificationId);
  return q.execute();
}
