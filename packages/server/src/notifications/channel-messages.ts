/** What a channel message says: one notification, made absolute with the server's public URL. */
export interface Message {
  title: string;
  body: string;
  /** Absolute when the public URL is known, else the UI path. */
  url: string;
}

export function absoluteLink(publicUrl: string | undefined, path: string): string {
  return publicUrl ? publicUrl + path : path;
}

/** Slack's `mrkdwn` escapes (`&`, `<`, `>`). */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook body: `text` for notifications and old clients, `blocks` for the message. */
export function slackPayload(m: Message): Record<string, unknown> {
  const linked = /^https?:\/\//.test(m.url) ? `<${m.url}|${slackEscape(m.title)}>` : slackEscape(m.title);
  return {
    text: m.title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${linked}*` } },
      ...(m.body ? [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(m.body).slice(0, 2900) } }] : []),
    ],
  };
}

/** A Microsoft Teams incoming-webhook (Workflows) body: a message with one Adaptive Card. */
export function teamsPayload(m: Message): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: m.title, weight: 'Bolder', wrap: true },
            ...(m.body ? [{ type: 'TextBlock', text: m.body.slice(0, 4000), wrap: true }] : []),
          ],
          actions: /^https?:\/\//.test(m.url) ? [{ type: 'Action.OpenUrl', title: 'Open in Trove', url: m.url }] : [],
        },
      },
    ],
  };
}

/** The plain-text email of a notification. */
export function emailText(m: Message): string {
  return [
    m.title,
    '',
    m.body,
    m.body ? '' : undefined,
    m.url,
    '',
    '--',
    'Trove notifications: change what you get in your notification settings.',
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}
