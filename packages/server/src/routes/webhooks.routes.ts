import { Webhooks } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** MLflow 3's webhook API (`/api/2.0/mlflow/webhooks…`, reference §8). */
export function registerWebhookRoutes(r: Router, { webhooks }: Services): void {
  r.rpc('POST', '/webhooks', Webhooks.CreateWebhook, async ({ workspace, input }) => ({
    webhook: await webhooks.create(workspace, input),
  }));
  r.rpc('GET', '/webhooks', Webhooks.ListWebhooks, async ({ workspace, input }) => {
    const { webhooks: page, nextPageToken } = await webhooks.list(workspace, input);
    return { webhooks: page.length > 0 ? page : undefined, next_page_token: nextPageToken };
  });
  r.rpc('GET', '/webhooks/:webhook_id', Webhooks.WebhookRef, async ({ workspace, params }) => ({
    webhook: await webhooks.get(workspace, params.webhook_id),
  }));
  r.rpc('PATCH', '/webhooks/:webhook_id', Webhooks.UpdateWebhook, async ({ workspace, params, input }) => ({
    webhook: await webhooks.update(workspace, params.webhook_id, input),
  }));
  r.rpc('DELETE', '/webhooks/:webhook_id', Webhooks.WebhookRef, async ({ workspace, params }) =>
    webhooks.remove(workspace, params.webhook_id),
  );
  r.rpc('POST', '/webhooks/:webhook_id/test', Webhooks.TestWebhook, async ({ workspace, params, input }) =>
    webhooks.test(workspace, params.webhook_id, input.event),
  );
}
