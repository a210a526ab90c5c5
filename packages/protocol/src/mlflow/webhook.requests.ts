import { defineMessage, enumOf, i32, obj, objList, str } from '../message.ts';

// Request messages of MLflow 3's webhook API (reference §8).

export const WEBHOOK_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export const CreateWebhook = defineMessage({
  name: str(true),
  url: str(true),
  events: objList(true),
  description: str(),
  secret: str(),
  status: enumOf(WEBHOOK_STATUSES),
});
export const ListWebhooks = defineMessage({ max_results: i32(), page_token: str() });
export const WebhookRef = defineMessage({});
export const UpdateWebhook = defineMessage({
  name: str(),
  url: str(),
  events: objList(),
  description: str(),
  secret: str(),
  status: enumOf(WEBHOOK_STATUSES),
});
export const TestWebhook = defineMessage({ event: obj() });
