import {
  type AttemptOutcome,
  claimDelivery,
  dueDeliveries,
  findDeliveryToSend,
  finishAttempt,
  type Store,
} from '@trove/store';
import { createLeasedOutbox } from '../background/leased-outbox.ts';
import { openSecret } from './secret-box.ts';
import { backoffMs, type WebhookConfig } from './webhook-config.ts';
import { type PostResult, postWebhook } from './webhook-post.ts';
import { signWebhook } from './webhook-signature.ts';
import { validateWebhookUrl } from './webhook-url.ts';

const MAX_IN_FLIGHT = 16;

interface Logger {
  error(obj: unknown, msg?: string): void;
}

/** The headers MLflow sends with a delivery (reference §8). */
export function deliveryHeaders(deliveryId: string, body: string, secret: string | null): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Trove-Webhooks/1',
    'X-MLflow-Delivery-Id': deliveryId,
    'X-MLflow-Timestamp': timestamp,
  };
  if (secret) headers['X-MLflow-Signature'] = signWebhook(secret, deliveryId, timestamp, body);
  return headers;
}

/** Sends one request to a webhook URL under the configured policy; a refused URL is an error result, not a throw. */
export async function sendOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  config: WebhookConfig,
  signal?: AbortSignal,
): Promise<PostResult & { permanent?: boolean }> {
  try {
    const target = validateWebhookUrl(url, config);
    const result = await postWebhook(target, body, headers, {
      timeoutMs: config.timeoutMs,
      allowPrivateIps: config.allowPrivateIps,
      signal,
    });
    return { ...result, permanent: result.error?.startsWith('Webhook delivery blocked') };
  } catch (e) {
    return { error: (e as Error).message, latencyMs: 0, permanent: true };
  }
}

const retriable = (r: PostResult & { permanent?: boolean }) =>
  !r.permanent && (r.statusCode === undefined || r.statusCode === 408 || r.statusCode === 429 || r.statusCode >= 500);

/**
 * Delivers queued webhook deliveries: polls for due rows, claims each with a guarded UPDATE (so
 * several server processes never send the same delivery at once), POSTs it, records the attempt
 * and either completes the delivery or schedules the next try with exponential backoff. All
 * state is in the database, so a restart resumes exactly where the last process stopped.
 */
export function createWebhookDispatcher(store: Store, config: WebhookConfig, log: Logger) {
  const { db } = store;
  // A claim outlives the longest possible attempt, so a live attempt is never taken over.
  const leaseMs = config.timeoutMs + 30_000;
  const abort = new AbortController();

  /** One attempt; a secret that cannot be opened (no key, another key) fails it and is retried, as a fixable outage. */
  async function send(
    deliveryId: string,
    d: { webhook_id: string; url: string; body: string; secret: string | null },
  ): Promise<PostResult & { permanent?: boolean }> {
    let secret: string | null;
    try {
      secret = d.secret && openSecret(config.secretKey, d.webhook_id, d.secret);
    } catch (e) {
      return { error: (e as Error).message, latencyMs: 0 };
    }
    return sendOnce(d.url, d.body, deliveryHeaders(deliveryId, d.body, secret), config, abort.signal);
  }

  async function attempt(deliveryId: string, token: string): Promise<void> {
    const d = await findDeliveryToSend(db, deliveryId);
    if (!d) return;
    const n = Number(d.attempts) + 1;
    const result = await send(deliveryId, d);
    const now = Date.now();
    const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
    const tries = n - Number(d.retry_floor);
    const outcome: AttemptOutcome = ok
      ? { kind: 'delivered' }
      : retriable(result) && tries < config.maxAttempts
        ? { kind: 'retry', at: now + backoffMs(config, tries) }
        : { kind: 'failed' };
    await finishAttempt(
      db,
      token,
      {
        delivery_id: deliveryId,
        attempt: n,
        time: now,
        status_code: result.statusCode ?? null,
        latency_ms: result.latencyMs,
        response_excerpt: result.excerpt ?? null,
        error: result.error ?? null,
        success: ok ? 1 : 0,
      },
      outcome,
    );
  }

  const outbox = createLeasedOutbox({
    name: 'webhook delivery',
    pollMs: config.pollMs,
    maxInFlight: MAX_IN_FLIGHT,
    log,
    due: (now, limit) => dueDeliveries(db, now, limit),
    claim: async (id, now, token) => ((await claimDelivery(db, id, now, leaseMs, token)) ? id : undefined),
    attempt,
  });

  return {
    start: outbox.start,
    /** Stops polling, gives in-flight attempts a short grace period, then aborts them (they are retried later). */
    stop: () => outbox.stop(Math.min(config.timeoutMs, 5000), () => abort.abort()),
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
