import { randomUUID } from 'node:crypto';
import { findRegisteredModelTag, insertDelivery, type StoreDb, subscribedWebhooks } from '@trove/store';
import { deliveryBody, isSubscribable, promptEntityFor, webhookData } from './webhook-payload.ts';

// Same tag as registered-model.service's PROMPT_TAG; not imported, to keep this module free of cycles.
const PROMPT_TAG = 'mlflow.prompt.is_prompt';

export interface OutboxEvent {
  eventId: number | null;
  workspaceId: number;
  modelId: number | null;
  entity: string;
  action: string;
  payload: Record<string, unknown>;
  time: number;
}

async function isPrompt(db: StoreDb, modelId: number): Promise<boolean> {
  return (await findRegisteredModelTag(db, modelId, PROMPT_TAG)) === 'true';
}

/**
 * Queues one delivery per subscribed ACTIVE webhook, in the caller's transaction: the event and
 * its deliveries commit together or not at all, so a crash can neither lose nor invent one.
 */
export async function enqueueWebhookDeliveries(db: StoreDb, e: OutboxEvent): Promise<void> {
  let entity = e.entity;
  const prompt = promptEntityFor(entity);
  if (prompt && e.modelId !== null && (await isPrompt(db, e.modelId))) entity = prompt;
  if (!isSubscribable(entity, e.action)) return;
  const hooks = await subscribedWebhooks(db, e.workspaceId, entity, e.action);
  if (hooks.length === 0) return;
  const body = deliveryBody(entity, e.action, webhookData(entity, e.action, e.payload), e.time);
  for (const webhookId of hooks) {
    await insertDelivery(db, {
      deliveryId: randomUUID(),
      webhookId,
      workspaceId: e.workspaceId,
      eventId: e.eventId,
      entity,
      action: e.action,
      body,
      now: e.time,
    });
  }
}
