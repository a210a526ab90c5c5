import {
  claimNotificationDelivery,
  dueNotificationDeliveries,
  emailOf,
  findChannelSettings,
  findNotification,
  finishNotificationDelivery,
  type NotificationDeliveryRow,
  type NotificationOutcome,
  type Store,
} from '@trove/store';
import { createLeasedOutbox } from '../background/leased-outbox.ts';
import { openSecret } from '../webhooks/secret-box.ts';
import { backoffMs, type WebhookConfig } from '../webhooks/webhook-config.ts';
import { absoluteLink } from './channel-messages.ts';
import type { ChannelSender, SendResult } from './channel-sender.ts';
import type { NotifyConfig } from './notify-config.ts';

const MAX_IN_FLIGHT = 8;

interface Logger {
  error(obj: unknown, msg?: string): void;
}

/** The name a sealed channel URL is bound to, so a value copied onto another user does not open. */
export const channelSecretId = (user: string, channel: string) => `notify:${user}:${channel}`;

/**
 * Delivers queued notifications to email, Slack and Teams, like the webhook dispatcher: claim with
 * a guarded UPDATE and a lease (two processes never both send), retry with backoff, all state in
 * the database. A delivery is marked sent right after the channel accepts it; a crash between the
 * two is the one window in which a message can go out twice (email keeps its Message-ID then).
 */
export function createNotificationDispatcher(
  store: Store,
  notify: NotifyConfig,
  webhooks: WebhookConfig,
  sender: ChannelSender,
  log: Logger,
) {
  const { db } = store;
  const leaseMs = Math.max(webhooks.timeoutMs, 60_000) + 30_000;
  const abort = new AbortController();

  async function send(d: NotificationDeliveryRow): Promise<SendResult> {
    const n = await findNotification(db, Number(d.notification_id));
    if (!n) return { ok: false, error: 'The notification no longer exists.', permanent: true };
    const message = { title: n.title, body: n.body, url: absoluteLink(notify.publicUrl, n.link) };
    if (d.channel === 'email') {
      const to = await emailOf(db, d.user_name);
      if (!to) return { ok: false, error: 'The user has no email address.', permanent: true };
      return sender.email(to, message, d.delivery_id);
    }
    const settings = await findChannelSettings(db, d.user_name);
    const sealed = d.channel === 'slack' ? settings?.slack_url : d.channel === 'teams' ? settings?.teams_url : null;
    if (!sealed) return { ok: false, error: `The user has no ${d.channel} webhook URL.`, permanent: true };
    let url: string;
    try {
      url = openSecret(webhooks.secretKey, channelSecretId(d.user_name, d.channel), sealed);
    } catch (e) {
      return { ok: false, error: (e as Error).message, permanent: false };
    }
    return d.channel === 'slack' ? sender.slack(url, message, abort.signal) : sender.teams(url, message, abort.signal);
  }

  async function attempt(d: NotificationDeliveryRow, token: string): Promise<void> {
    const result = await send(d);
    const now = Date.now();
    const tries = Number(d.attempts) + 1;
    const outcome: NotificationOutcome = result.ok
      ? { kind: 'sent' }
      : !result.permanent && tries < webhooks.maxAttempts
        ? { kind: 'retry', at: now + backoffMs(webhooks, tries), error: result.error }
        : { kind: d.channel === 'email' && !sender.emailAvailable ? 'skipped' : 'failed', error: result.error };
    await finishNotificationDelivery(db, d.delivery_id, token, now, outcome);
  }

  const outbox = createLeasedOutbox({
    name: 'notification delivery',
    pollMs: webhooks.pollMs,
    maxInFlight: MAX_IN_FLIGHT,
    log,
    due: (now, limit) => dueNotificationDeliveries(db, now, limit),
    claim: (id, now, token) => claimNotificationDelivery(db, id, now, leaseMs, token),
    attempt,
  });

  return {
    start: outbox.start,
    /** Stops polling and lets in-flight sends finish (briefly), so a send that was accepted is marked sent. */
    async stop(): Promise<void> {
      await outbox.stop(5000, () => abort.abort());
      sender.close();
    },
  };
}
