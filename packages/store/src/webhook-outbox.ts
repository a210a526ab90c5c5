import type { Insertable, Kysely } from 'kysely';
import { claimLeasedRow } from './leased-claim.ts';
import type { Database, WebhookAttemptTable } from './schema.ts';

/** Ids of the ACTIVE webhooks of a workspace subscribed to one (entity, action), lower-case names. */
export async function subscribedWebhooks(
  db: Kysely<Database>,
  workspaceId: number,
  entity: string,
  action: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('webhooks')
    .innerJoin('webhook_events', 'webhook_events.webhook_id', 'webhooks.webhook_id')
    .select('webhooks.webhook_id')
    .where('webhooks.workspace_id', '=', workspaceId)
    .where('webhooks.status', '=', 'ACTIVE')
    .where('webhook_events.entity', '=', entity)
    .where('webhook_events.action', '=', action)
    .execute();
  return rows.map((r) => r.webhook_id);
}

export interface NewDelivery {
  deliveryId: string;
  webhookId: string;
  workspaceId: number;
  eventId: number | null;
  entity: string;
  action: string;
  body: string;
  now: number;
}

export async function insertDelivery(db: Kysely<Database>, d: NewDelivery): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      delivery_id: d.deliveryId,
      webhook_id: d.webhookId,
      workspace_id: d.workspaceId,
      event_id: d.eventId,
      entity: d.entity,
      action: d.action,
      body: d.body,
      status: 'pending',
      attempts: 0,
      retry_floor: 0,
      next_attempt_time: d.now,
      claimed_until: 0,
      claim_token: null,
      creation_time: d.now,
      last_attempt_time: null,
    })
    .execute();
}

/** Pending deliveries due now, not claimed, whose webhook is ACTIVE (a DISABLED one keeps its queue). */
export async function dueDeliveries(db: Kysely<Database>, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.webhook_id', 'webhook_deliveries.webhook_id')
    .select('webhook_deliveries.delivery_id')
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_time', '<=', now)
    .where('webhook_deliveries.claimed_until', '<', now)
    .where('webhooks.status', '=', 'ACTIVE')
    .orderBy('webhook_deliveries.next_attempt_time')
    .limit(limit)
    .execute();
  return rows.map((r) => r.delivery_id);
}

/** Claims one delivery for `leaseMs` (see `claimLeasedRow`). */
export function claimDelivery(
  db: Kysely<Database>,
  deliveryId: string,
  now: number,
  leaseMs: number,
  token: string,
): Promise<boolean> {
  return claimLeasedRow(db, 'webhook_deliveries', deliveryId, now, leaseMs, token);
}

export type AttemptOutcome = { kind: 'delivered' } | { kind: 'retry'; at: number } | { kind: 'failed' };

/** Records an attempt and moves the delivery on, if this claimer still holds it. */
export async function finishAttempt(
  db: Kysely<Database>,
  token: string,
  attempt: Insertable<WebhookAttemptTable>,
  outcome: AttemptOutcome,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: outcome.kind === 'retry' ? 'pending' : outcome.kind,
        next_attempt_time: outcome.kind === 'retry' ? outcome.at : attempt.time,
        claimed_until: 0,
        claim_token: null,
        last_attempt_time: attempt.time,
      }))
      .where('delivery_id', '=', attempt.delivery_id)
      .where('claim_token', '=', token)
      .executeTakeFirst();
    // A lost claim (manual redelivery meanwhile) still made a real request: record it, unless the
    // webhook and its deliveries were deleted.
    if (Number(res.numUpdatedRows) === 0) {
      const exists = await trx
        .selectFrom('webhook_deliveries')
        .select('delivery_id')
        .where('delivery_id', '=', attempt.delivery_id)
        .executeTakeFirst();
      if (!exists) return;
    }
    await trx.insertInto('webhook_delivery_attempts').values(attempt).execute();
  });
}

/** Queues a delivery again with a fresh retry budget (manual redelivery). */
export async function requeueDelivery(db: Kysely<Database>, deliveryId: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: 'pending',
      retry_floor: eb.ref('attempts'),
      next_attempt_time: now,
      claimed_until: 0,
      claim_token: null,
    }))
    .where('delivery_id', '=', deliveryId)
    .execute();
}
