import { Review } from '@trove/protocol';
import { native } from '../http/native.ts';
import type { RpcRouter } from '../http/rpc.ts';
import type { Services } from '../services/index.ts';

/** The webhook outbox, readable and redeliverable (`/api/trove/v1/webhooks…`). */
export function registerWebhookDeliveryRoutes(r: RpcRouter, { webhookDeliveries: deliveries }: Services): void {
  native(r, 'GET', '/webhooks/:webhook_id/deliveries', Review.DeliveryList, async ({ workspace, params, input }) => deliveries.list(workspace, params.webhook_id, input));
  native(r, 'GET', '/webhooks/deliveries/:delivery_id', {}, async ({ workspace, params }) => deliveries.get(workspace, params.delivery_id));
  native(r, 'POST', '/webhooks/deliveries/:delivery_id/redeliver', {}, async ({ workspace, params }) => deliveries.redeliver(workspace, params.delivery_id));
}
