import { insertRegistryEvent, type StoreDb } from '@trove/store';
import { queueNotifications } from '../notifications/fan-out.ts';
import { enqueueWebhookDeliveries } from '../webhooks/outbox.ts';
import { publishRecordedEvent } from './live-events.ts';

/** A registry change as recorded in the activity log / webhook outbox. */
export interface RegistryEvent {
  workspaceId: number;
  modelId: number | null;
  modelName: string;
  version?: number;
  /** MLflow webhook entity and action names (lowercase), or Trove's own (`transition_request`, `comment`…). */
  entity: string;
  action: string;
  actor?: string;
  payload: Record<string, unknown>;
  /** For run events (`modelName` is '' then). */
  runId?: string;
}

/**
 * Appends an event in the caller's transaction, so the log never disagrees with the change, and
 * queues its webhook deliveries, its live event (open pages, `live-events.ts`) and its users'
 * notifications in the same transaction.
 */
export async function recordEvent(db: StoreDb, e: RegistryEvent): Promise<void> {
  const time = Date.now();
  const eventId = await insertRegistryEvent(db, {
    workspace_id: e.workspaceId,
    model_id: e.modelId,
    model_name: e.modelName,
    version: e.version ?? null,
    entity: e.entity,
    action: e.action,
    actor: e.actor ?? null,
    payload: JSON.stringify(e.payload),
    time,
    run_id: e.runId ?? null,
  });
  await enqueueWebhookDeliveries(db, {
    eventId,
    workspaceId: e.workspaceId,
    modelId: e.modelId,
    entity: e.entity,
    action: e.action,
    payload: e.payload,
    time,
  });
  await publishRecordedEvent(db, e);
  await queueNotifications(db, eventId, e, time);
}
