/** How notifications leave the server; read once by `parseServerConfig`. */
export interface NotifyConfig {
  /** `smtp://user:pass@host:587` or `smtps://…` (`--smtp-url`, `TROVE_SMTP_URL`); undefined: the email channel is off. */
  readonly smtpUrl: string | undefined;
  /** The From of notification mail (`TROVE_SMTP_FROM`). */
  readonly smtpFrom: string;
  /** This server's address as users reach it (`--public-url`, `TROVE_PUBLIC_URL`), for links in messages. */
  readonly publicUrl: string | undefined;
}

export function readNotifyConfig(
  input: { smtpUrl?: string; publicUrl?: string },
  env: NodeJS.ProcessEnv,
  problems: string[],
): NotifyConfig {
  const smtpUrl = input.smtpUrl ?? env.TROVE_SMTP_URL ?? undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/i.test(smtpUrl))
    problems.push('--smtp-url must be smtp://[user:pass@]host[:port] or smtps://…');
  const publicUrl = (input.publicUrl ?? env.TROVE_PUBLIC_URL ?? '').replace(/\/+$/, '') || undefined;
  if (publicUrl && !/^https?:\/\/[^/]+/i.test(publicUrl)) problems.push('--public-url must be an http(s) URL');
  return Object.freeze({
    smtpUrl: smtpUrl || undefined,
    smtpFrom: env.TROVE_SMTP_FROM || 'Trove <trove@localhost>',
    publicUrl,
  });
}
