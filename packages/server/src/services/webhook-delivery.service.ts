import { invalidParam, notFound, Review } from '@trove/protocol';
import {
  findWebhookDelivery,
  listWebhookAttempts,
  listWebhookDeliveries,
  requeueDelivery,
  type Store,
  type WebhookDeliveryRow,
} from '@trove/store';
import { decodeIdToken, encodeIdToken, pageSize } from './offset-token.ts';
import type { WebhookService } from './webhook.service.ts';
import type { Workspace } from './workspace.service.ts';

const STATUSES: readonly string[] = Review.DELIVERY_STATUSES;

/** Trove's view of the outbox: every delivery of a webhook with each attempt, and manual redelivery. */
export function createWebhookDeliveryService(store: Store, webhooks: WebhookService) {
  const { db } = store;
  async function present(rows: WebhookDeliveryRow[]) {
    const ids = rows.map((r) => r.delivery_id);
    const attempts = await listWebhookAttempts(db, ids);
    return rows.map((r) => ({
      delivery_id: r.delivery_id,
      webhook_id: r.webhook_id,
      ...(r.event_id === null ? {} : { event_id: String(r.event_id) }),
      entity: r.entity,
      action: r.action,
      status: r.status,
      attempt_count: Number(r.attempts),
      creation_timestamp: Number(r.creation_time),
      ...(r.status === 'pending' ? { next_attempt_timestamp: Number(r.next_attempt_time) } : {}),
      ...(r.last_attempt_time === null ? {} : { last_attempt_timestamp: Number(r.last_attempt_time) }),
      payload: JSON.parse(r.body) as unknown,
      attempts: attempts
        .filter((a) => a.delivery_id === r.delivery_id)
        .map((a) => ({
          attempt: Number(a.attempt),
          timestamp: Number(a.time),
          success: Number(a.success) === 1,
          latency_ms: Number(a.latency_ms),
          ...(a.status_code === null ? {} : { status_code: Number(a.status_code) }),
          ...(a.response_excerpt === null ? {} : { response_excerpt: a.response_excerpt }),
          ...(a.error === null ? {} : { error: a.error }),
        })),
    }));
  }

  async function getRow(ws: Workspace, deliveryId: string): Promise<WebhookDeliveryRow> {
    const row = await findWebhookDelivery(db, ws.id, deliveryId);
    if (!row) throw notFound(`Webhook delivery ${deliveryId} not found.`);
    return row;
  }

  /** Newest first, keyset-paged on the outbox id. */
  async function list(
    ws: Workspace,
    webhookId: string,
    input: { status?: string; max_results?: number | bigint; page_token?: string },
  ) {
    await webhooks.getRow(ws, webhookId);
    if (input.status !== undefined && !STATUSES.includes(input.status))
      throw invalidParam(`Invalid delivery status '${input.status}'. Valid values are: ${STATUSES.join(', ')}.`);
    const max = pageSize(input.max_results);
    const before = decodeIdToken(input.page_token);
    const rows = await listWebhookDeliveries(db, webhookId, { status: input.status, before, limit: max + 1 });
    const page = rows.slice(0, max);
    return {
      deliveries: await present(page),
      next_page_token: rows.length > max ? encodeIdToken(Number(page[page.length - 1].id)) : undefined,
    };
  }

  async function get(ws: Workspace, deliveryId: string) {
    return { delivery: (await present([await getRow(ws, deliveryId)]))[0] };
  }

  /** Queues a delivery again (whatever its state) with a fresh retry budget; same id, same body. */
  async function redeliver(ws: Workspace, deliveryId: string) {
    await getRow(ws, deliveryId);
    await requeueDelivery(db, deliveryId, Date.now());
    return get(ws, deliveryId);
  }

  return { list, get, redeliver };
}

export type WebhookDeliveryService = ReturnType<typeof createWebhookDeliveryService>;
