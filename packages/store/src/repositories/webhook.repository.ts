import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, WebhookAttemptTable, WebhookDeliveryTable, WebhookTable } from '../schema.ts';

export type WebhookRow = Selectable<WebhookTable>;
export type NewWebhook = Insertable<WebhookTable>;
export type WebhookChanges = Updateable<WebhookTable>;
/** A subscription, lower-case names (`model_version`, `created`). */
export type WebhookEventKey = { entity: string; action: string };

// ---- Webhooks -------------------------------------------------------------------------------

/** A webhook of one workspace. */
export function findWebhook(
  db: Kysely<Database>,
  workspaceId: number,
  webhookId: string,
): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** A workspace's webhooks, newest first, offset-paged. */
export function listWebhooks(
  db: Kysely<Database>,
  workspaceId: number,
  page: { offset: number; limit: number },
): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('creation_time', 'desc')
    .orderBy('webhook_id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function insertWebhook(db: Kysely<Database>, row: NewWebhook): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}

export async function updateWebhook(db: Kysely<Database>, webhookId: string, changes: WebhookChanges): Promise<void> {
  await db.updateTable('webhooks').set(changes).where('webhook_id', '=', webhookId).execute();
}

/** Webhooks whose secret is stored as given, not sealed (`enc:v1:…`) with the server's key. */
export function listPlainWebhookSecrets(db: Kysely<Database>): Promise<{ webhook_id: string; secret: string }[]> {
  return db
    .selectFrom('webhooks')
    .select(['webhook_id', 'secret'])
    .where('secret', 'is not', null)
    .where('secret', 'not like', 'enc:v1:%')
    .execute() as Promise<{ webhook_id: string; secret: string }[]>;
}

/** Replaces a webhook's secret `from` (as read) with `to`; a secret changed meanwhile is left alone. */
export async function replaceWebhookSecret(
  db: Kysely<Database>,
  webhookId: string,
  from: string,
  to: string,
): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ secret: to })
    .where('webhook_id', '=', webhookId)
    .where('secret', '=', from)
    .execute();
}

/** Deletes a webhook with its subscriptions, its deliveries and their attempts. */
export async function deleteWebhook(db: Kysely<Database>, webhookId: string): Promise<void> {
  await db
    .deleteFrom('webhook_delivery_attempts')
    .where(
      'delivery_id',
      'in',
      db.selectFrom('webhook_deliveries').select('delivery_id').where('webhook_id', '=', webhookId),
    )
    .execute();
  for (const table of ['webhook_deliveries', 'webhook_events', 'webhooks'] as const)
    await db.deleteFrom(table).where('webhook_id', '=', webhookId).execute();
}

// ---- Subscriptions --------------------------------------------------------------------------

/** A webhook's subscriptions, by entity then action. */
export function listWebhookEvents(db: Kysely<Database>, webhookId: string): Promise<WebhookEventKey[]> {
  return db
    .selectFrom('webhook_events')
    .select(['entity', 'action'])
    .where('webhook_id', '=', webhookId)
    .orderBy('entity')
    .orderBy('action')
    .execute();
}

/** Replaces a webhook's subscriptions. */
export async function replaceWebhookEvents(
  db: Kysely<Database>,
  webhookId: string,
  events: readonly WebhookEventKey[],
): Promise<void> {
  await db.deleteFrom('webhook_events').where('webhook_id', '=', webhookId).execute();
  await db
    .insertInto('webhook_events')
    .values(events.map((e) => ({ webhook_id: webhookId, ...e })))
    .execute();
}

// ---- Deliveries (the outbox as its API shows it) --------------------------------------------

const DELIVERY_COLUMNS = [
  'id',
  'delivery_id',
  'webhook_id',
  'event_id',
  'entity',
  'action',
  'body',
  'status',
  'attempts',
  'next_attempt_time',
  'creation_time',
  'last_attempt_time',
] as const;

/** A delivery without its claim bookkeeping. */
export type WebhookDeliveryRow = Pick<Selectable<WebhookDeliveryTable>, (typeof DELIVERY_COLUMNS)[number]>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;

/** A delivery of one workspace. */
export function findWebhookDelivery(
  db: Kysely<Database>,
  workspaceId: number,
  deliveryId: string,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('delivery_id', '=', deliveryId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

/** A webhook's deliveries, newest first, optionally of one status, keyset-paged below `before`. */
export function listWebhookDeliveries(
  db: Kysely<Database>,
  webhookId: string,
  page: { status?: string; before?: number; limit: number },
): Promise<WebhookDeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS).where('webhook_id', '=', webhookId);
  if (page.status) q = q.where('status', '=', page.status);
  if (page.before !== undefined) q = q.where('id', '<', page.before);
  return q.orderBy('id', 'desc').limit(page.limit).execute();
}

/** The attempts of the given deliveries, by delivery then attempt number. */
export async function listWebhookAttempts(
  db: Kysely<Database>,
  deliveryIds: readonly string[],
): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_delivery_attempts')
    .selectAll()
    .where('delivery_id', 'in', [...deliveryIds])
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
}

/** What sending a delivery needs: its body and attempt counts, and its webhook's URL and secret. */
export function findDeliveryToSend(
  db: Kysely<Database>,
  deliveryId: string,
): Promise<
  | { webhook_id: string; body: string; attempts: number; retry_floor: number; url: string; secret: string | null }
  | undefined
> {
  return db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.webhook_id', 'webhook_deliveries.webhook_id')
    .select([
      'webhooks.webhook_id',
      'webhook_deliveries.body',
      'webhook_deliveries.attempts',
      'webhook_deliveries.retry_floor',
      'webhooks.url',
      'webhooks.secret',
    ])
    .where('webhook_deliveries.delivery_id', '=', deliveryId)
    .executeTakeFirst();
}
