import { randomUUID } from 'node:crypto';
import {
  eventKey,
  invalidParam,
  notFound,
  readWebhookEvent,
  readWebhookEvents,
  type Webhook,
  type WebhookEventRef,
  type Webhooks,
  type WebhookTestResult,
} from '@trove/protocol';
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  listWebhookEvents,
  listWebhooks,
  replaceWebhookEvents,
  runInTransaction,
  type Store,
  updateWebhook,
  type WebhookRow,
} from '@trove/store';
import { openSecret, sealSecret } from '../webhooks/secret-box.ts';
import type { WebhookConfig } from '../webhooks/webhook-config.ts';
import { deliveryHeaders, sendOnce } from '../webhooks/webhook-dispatcher.ts';
import { deliveryBody, examplePayload } from '../webhooks/webhook-payload.ts';
import { validateWebhookUrl } from '../webhooks/webhook-url.ts';
import { decodeOffsetToken, encodeOffsetToken, pageSize } from './offset-token.ts';
import type { Workspace } from './workspace.service.ts';

type WebhookStatus = Webhooks.WebhookStatus;

const NAME_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/;

function validateName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw invalidParam(
      `Invalid webhook name '${name}'. Names are 1-63 characters of letters, digits, '.', '_' and '-', starting and ending with a letter or digit.`,
    );
  }
}

/** The events a webhook subscribes to, each pair once. */
function readEvents(events: Record<string, unknown>[]): WebhookEventRef[] {
  return [...new Map(readWebhookEvents(events).map((ref) => [`${ref.entity}.${ref.action}`, ref])).values()];
}

/** MLflow 3's webhook API (reference §8), one workspace at a time. */
export function createWebhookService(store: Store, config: WebhookConfig) {
  const { db } = store;

  async function getRow(ws: Workspace, id: string): Promise<WebhookRow> {
    const row = await findWebhook(db, ws.id, id);
    if (!row) throw notFound(`Webhook with ID ${id} not found.`);
    return row;
  }

  async function present(row: WebhookRow): Promise<Webhook> {
    const events = await listWebhookEvents(db, row.webhook_id);
    const hook: Webhook = {
      webhook_id: row.webhook_id,
      name: row.name,
      url: row.url,
      // The store holds only events readWebhookEvent accepted, in lower case.
      events: events.map(
        (e) => ({ entity: e.entity.toUpperCase(), action: e.action.toUpperCase() }) as WebhookEventRef,
      ),
      status: row.status as WebhookStatus,
      creation_timestamp: Number(row.creation_time),
      last_updated_timestamp: Number(row.last_update_time),
    };
    if (row.description) hook.description = row.description;
    return hook;
  }

  async function create(
    ws: Workspace,
    input: {
      name: string;
      url: string;
      events: Record<string, unknown>[];
      description?: string;
      secret?: string;
      status?: WebhookStatus;
    },
  ): Promise<Webhook> {
    validateName(input.name);
    validateWebhookUrl(input.url, config);
    const events = readEvents(input.events);
    const id = randomUUID();
    const now = Date.now();
    await runInTransaction(store, async (trx) => {
      await insertWebhook(trx, {
        webhook_id: id,
        workspace_id: ws.id,
        name: input.name,
        description: input.description || null,
        url: input.url,
        secret: input.secret ? sealSecret(config.secretKey, id, input.secret) : null,
        status: input.status ?? 'ACTIVE',
        creation_time: now,
        last_update_time: now,
      });
      await replaceWebhookEvents(trx, id, events.map(eventKey));
    });
    return present(await getRow(ws, id));
  }

  async function list(ws: Workspace, input: { max_results?: number | bigint; page_token?: string }) {
    const max = pageSize(input.max_results);
    const offset = decodeOffsetToken(input.page_token);
    const rows = await listWebhooks(db, ws.id, { offset, limit: max + 1 });
    const page = await Promise.all(rows.slice(0, max).map(present));
    return { webhooks: page, nextPageToken: rows.length > max ? encodeOffsetToken(offset + max) : undefined };
  }

  async function update(
    ws: Workspace,
    id: string,
    input: {
      name?: string;
      url?: string;
      events?: Record<string, unknown>[];
      description?: string;
      secret?: string;
      status?: WebhookStatus;
    },
  ): Promise<Webhook> {
    await getRow(ws, id);
    if (input.name) validateName(input.name);
    if (input.url) validateWebhookUrl(input.url, config);
    const events = input.events && input.events.length > 0 ? readEvents(input.events) : undefined;
    await runInTransaction(store, async (trx) => {
      const set = {
        last_update_time: Date.now(),
        ...(input.name ? { name: input.name } : {}),
        ...(input.url ? { url: input.url } : {}),
        ...(input.description ? { description: input.description } : {}),
        ...(input.secret ? { secret: sealSecret(config.secretKey, id, input.secret) } : {}),
        ...(input.status ? { status: input.status } : {}),
      };
      await updateWebhook(trx, id, set);
      if (events) await replaceWebhookEvents(trx, id, events.map(eventKey));
    });
    return present(await getRow(ws, id));
  }

  async function remove(ws: Workspace, id: string): Promise<void> {
    await getRow(ws, id);
    await runInTransaction(store, (trx) => deleteWebhook(trx, id));
  }

  /** Sends a sample payload now and reports what came back (not queued, not recorded, as in MLflow). */
  async function test(
    ws: Workspace,
    id: string,
    event: Record<string, unknown> | undefined,
  ): Promise<{ result: WebhookTestResult }> {
    const row = await getRow(ws, id);
    const hook = await present(row);
    const ref = event ? readWebhookEvent(event, 'event') : readWebhookEvent(hook.events[0]);
    const sample = examplePayload(ref);
    const body = deliveryBody(sample.entity, sample.action, sample.data, Date.now());
    let secret: string | null;
    try {
      secret = row.secret && openSecret(config.secretKey, row.webhook_id, row.secret);
    } catch (e) {
      return { result: { success: false, error_message: `Failed to test webhook: ${(e as Error).message}` } };
    }
    const r = await sendOnce(row.url, body, deliveryHeaders(randomUUID(), body, secret), config);
    const result: WebhookTestResult = { success: r.statusCode !== undefined && r.statusCode < 400 };
    if (r.statusCode !== undefined) result.response_status = r.statusCode;
    if (r.excerpt !== undefined) result.response_body = r.excerpt;
    if (r.error) result.error_message = `Failed to test webhook: ${r.error}`;
    return { result };
  }

  return {
    getRow,
    create,
    get: async (ws: Workspace, id: string) => present(await getRow(ws, id)),
    list,
    update,
    remove,
    test,
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
