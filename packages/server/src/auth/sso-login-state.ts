import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a sign-in started here must find again when the provider sends the browser back. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where to go once signed in: a path on this server. */
  next: string;
  expires: number;
}

export const SSO_STATE_COOKIE = 'trove_sso';
export const SSO_STATE_TTL_MS = 10 * 60_000;

/**
 * The pending sign-in travels in the browser's own cookie, sealed with AES-256-GCM: it cannot be
 * read or changed there, and every replica that shares the client secret can open it, so no
 * table is needed. The key is derived from the client secret.
 */
export function createLoginSealer(clientSecret: string) {
  const key = Buffer.from(hkdfSync('sha256', clientSecret, 'trove', 'trove sso login state v1', 32));

  function seal(login: PendingLogin): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(login), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The pending sign-in, or undefined when the cookie is missing, altered or expired. */
  function open(sealed: string | undefined, now = Date.now()): PendingLogin | undefined {
    if (!sealed) return undefined;
    try {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const login = JSON.parse(text) as PendingLogin;
      return login.expires > now ? login : undefined;
    } catch {
      return undefined;
    }
  }

  return { seal, open };
}
