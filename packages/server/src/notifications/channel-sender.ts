import { createTransport, type Transporter } from 'nodemailer';
import type { WebhookConfig } from '../webhooks/webhook-config.ts';
import { sendOnce } from '../webhooks/webhook-dispatcher.ts';
import { emailText, type Message, slackPayload, teamsPayload } from './channel-messages.ts';
import type { NotifyConfig } from './notify-config.ts';

export type SendResult = { ok: true } | { ok: false; error: string; permanent: boolean };

/**
 * Sends one message to one channel. Email goes through the configured SMTP server with the
 * delivery's id in the Message-ID, so a resend after a crash is recognisable as the same
 * message; Slack and Teams through the webhook POST path, under the webhook URL rules.
 */
export function createChannelSender(notify: NotifyConfig, webhooks: WebhookConfig) {
  let transport: Transporter | undefined;
  const mailer = () => {
    transport ??= createTransport(notify.smtpUrl as string);
    return transport;
  };

  async function email(to: string, m: Message, deliveryId: string): Promise<SendResult> {
    if (!notify.smtpUrl) return { ok: false, error: 'No SMTP server is configured (--smtp-url).', permanent: true };
    try {
      await mailer().sendMail({
        from: notify.smtpFrom,
        to,
        subject: m.title,
        text: emailText(m),
        messageId: `<${deliveryId}@trove>`,
        headers: { 'X-Trove-Delivery-Id': deliveryId },
      });
      return { ok: true };
    } catch (e) {
      const err = e as Error & { responseCode?: number };
      // 5xx answers are the server refusing this message for good (no such mailbox…).
      return { ok: false, error: err.message, permanent: err.responseCode !== undefined && err.responseCode >= 500 };
    }
  }

  async function hook(url: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<SendResult> {
    const body = JSON.stringify(payload);
    const r = await sendOnce(
      url,
      body,
      { 'Content-Type': 'application/json', 'User-Agent': 'Trove-Notifications/1' },
      webhooks,
      signal,
    );
    if (r.statusCode !== undefined && r.statusCode >= 200 && r.statusCode < 300) return { ok: true };
    const error = r.error ?? `HTTP ${r.statusCode}: ${r.excerpt ?? ''}`.trim();
    const retriable =
      !r.permanent &&
      (r.statusCode === undefined || r.statusCode === 408 || r.statusCode === 429 || r.statusCode >= 500);
    return { ok: false, error, permanent: !retriable };
  }

  return {
    emailAvailable: notify.smtpUrl !== undefined,
    email,
    slack: (url: string, m: Message, signal?: AbortSignal) => hook(url, slackPayload(m), signal),
    teams: (url: string, m: Message, signal?: AbortSignal) => hook(url, teamsPayload(m), signal),
    close(): void {
      transport?.close();
    },
  };
}

export type ChannelSender = ReturnType<typeof createChannelSender>;
