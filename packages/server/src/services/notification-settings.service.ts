import { invalidParam, Notifications, TroveError } from '@trove/protocol';
import {
  emailOf,
  findChannelSettings,
  listNotificationDeliveries,
  preferencesOf,
  runInTransaction,
  type Store,
  upsertChannelSettings,
  upsertPreference,
} from '@trove/store';
import { absoluteLink } from '../notifications/channel-messages.ts';
import type { ChannelSender } from '../notifications/channel-sender.ts';
import { channelSecretId } from '../notifications/notification-dispatcher.ts';
import type { NotifyConfig } from '../notifications/notify-config.ts';
import { openSecret, sealSecret } from '../webhooks/secret-box.ts';
import type { WebhookConfig } from '../webhooks/webhook-config.ts';
import { validateWebhookUrl } from '../webhooks/webhook-url.ts';
import { requireUser } from './notification.service.ts';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const { NOTIFICATION_KINDS, NOTIFICATION_CHANNELS, defaultPreference } = Notifications;

/** A user's notification choices (event kind × channel) and channel settings, and the "send test" action. */
export function createNotificationSettingsService(
  store: Store,
  notify: NotifyConfig,
  webhooks: WebhookConfig,
  sender: ChannelSender,
) {
  const { db } = store;

  async function get(actor: string | undefined): Promise<Notifications.PreferencesResponse> {
    const user = requireUser(actor);
    const chosen = await preferencesOf(db, [user]);
    const settings = await findChannelSettings(db, user);
    const failures = (await listNotificationDeliveries(db, { user }, 20)).filter((d) => d.status === 'failed');
    return {
      preferences: NOTIFICATION_KINDS.flatMap((kind) =>
        NOTIFICATION_CHANNELS.map((channel) => {
          const c = chosen.find((p) => p.kind === kind && p.channel === channel);
          return { kind, channel, enabled: c ? Number(c.enabled) === 1 : defaultPreference(kind, channel) };
        }),
      ),
      email: await emailOf(db, user),
      slack_configured: Boolean(settings?.slack_url),
      teams_configured: Boolean(settings?.teams_url),
      email_available: sender.emailAvailable,
      recent_failures: failures.map((d) => ({
        channel: d.channel,
        error: d.last_error,
        time: Number(d.last_attempt_time ?? d.creation_time),
      })),
    };
  }

  function readPreference(v: unknown, i: number) {
    const p = (v ?? {}) as Record<string, unknown>;
    if (!NOTIFICATION_KINDS.includes(p.kind as never))
      throw invalidParam(`preferences[${i}].kind must be one of ${NOTIFICATION_KINDS.join(', ')}.`);
    if (!NOTIFICATION_CHANNELS.includes(p.channel as never))
      throw invalidParam(`preferences[${i}].channel must be one of ${NOTIFICATION_CHANNELS.join(', ')}.`);
    if (typeof p.enabled !== 'boolean') throw invalidParam(`preferences[${i}].enabled must be true or false.`);
    return { kind: p.kind as string, channel: p.channel as string, enabled: p.enabled };
  }

  /** A Slack/Teams URL as stored: checked against the webhook URL rules, sealed; '' clears it. */
  function sealedUrl(user: string, channel: 'slack' | 'teams', url: string | undefined, current: string | null) {
    if (url === undefined) return current;
    if (url === '') return null;
    try {
      validateWebhookUrl(url, webhooks);
    } catch (e) {
      throw invalidParam(`${channel}_url: ${(e as Error).message}`);
    }
    return sealSecret(webhooks.secretKey, channelSecretId(user, channel), url);
  }

  async function put(
    input: { preferences?: unknown[]; email?: string; slack_url?: string; teams_url?: string },
    actor: string | undefined,
  ) {
    const user = requireUser(actor);
    const prefs = (input.preferences ?? []).map(readPreference);
    if (input.email !== undefined && input.email !== '' && !EMAIL.test(input.email))
      throw invalidParam(`email '${input.email.slice(0, 100)}' is not an email address.`);
    await runInTransaction(store, async (tx) => {
      for (const p of prefs) await upsertPreference(tx, { user_name: user, ...p, enabled: p.enabled ? 1 : 0 });
      if (input.email === undefined && input.slack_url === undefined && input.teams_url === undefined) return;
      const current = await findChannelSettings(tx, user);
      await upsertChannelSettings(tx, {
        user_name: user,
        email: input.email === undefined ? (current?.email ?? null) : input.email || null,
        slack_url: sealedUrl(user, 'slack', input.slack_url, current?.slack_url ?? null),
        teams_url: sealedUrl(user, 'teams', input.teams_url, current?.teams_url ?? null),
        last_update_time: Date.now(),
      });
    });
    return get(user);
  }

  /** Sends a test message to one of the user's channels now, outside the outbox, and says how it went. */
  async function sendTest(channel: 'email' | 'slack' | 'teams', actor: string | undefined) {
    const user = requireUser(actor);
    const message = {
      title: 'Trove test notification',
      body: `This is a test of your ${channel} notifications, sent at your request.`,
      url: absoluteLink(notify.publicUrl, '/notifications/settings'),
    };
    let result: Awaited<ReturnType<ChannelSender['email']>>;
    if (channel === 'email') {
      const to = await emailOf(db, user);
      if (!to) throw invalidParam('Set an email address first.');
      if (!sender.emailAvailable)
        throw new TroveError('BAD_REQUEST', 'Email is off on this server: it has no SMTP settings (--smtp-url).');
      result = await sender.email(to, message, `test-${Date.now()}`);
    } else {
      const settings = await findChannelSettings(db, user);
      const sealed = channel === 'slack' ? settings?.slack_url : settings?.teams_url;
      if (!sealed) throw invalidParam(`Set a ${channel} webhook URL first.`);
      const url = openSecret(webhooks.secretKey, channelSecretId(user, channel), sealed);
      result = channel === 'slack' ? await sender.slack(url, message) : await sender.teams(url, message);
    }
    return result.ok ? { sent: true } : { sent: false, error: result.error };
  }

  return { get, put, sendTest };
}

export type NotificationSettingsService = ReturnType<typeof createNotificationSettingsService>;
