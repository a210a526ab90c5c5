import { Review } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** The webhook outbox, readable and redeliverable (`/api/trove/v1/webhooks…`). */
export function registerWebhookDeliveryRoutes(r: Router, { webhookDeliveries: deliveries }: Services): void {
  r.native('GET', '/webhooks/:webhook_id/deliveries', Review.DeliveryList, async ({ workspace, params, input }) =>
    deliveries.list(workspace, params.webhook_id, input),
  );
  r.native('GET', '/webhooks/deliveries/:delivery_id', {}, async ({ workspace, params }) =>
    deliveries.get(workspace, params.delivery_id),
  );
  r.native('POST', '/webhooks/deliveries/:delivery_id/redeliver', {}, async ({ workspace, params }) =>
    deliveries.redeliver(workspace, params.delivery_id),
  );
}
