import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

const SEALED = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * `TROVE_SECRET_KEY` as a key: 32 bytes written as 64 hex digits or in base64. Answers a problem
 * to report instead when the value is neither.
 */
export function parseSecretKey(value: string): KeyObject | string {
  const text = value.trim();
  if (HEX_KEY.test(text)) return createSecretKey(Buffer.from(text, 'hex'));
  if (BASE64_KEY.test(text)) return createSecretKey(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  return 'TROVE_SECRET_KEY must be 32 bytes, as 64 hex digits or in base64 (`openssl rand -base64 32` makes one)';
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED);
}

/**
 * A webhook secret as stored: with a key, `enc:v1:<iv>:<tag>:<ciphertext>` (AES-256-GCM, base64url,
 * bound to the webhook's id so a sealed value copied onto another webhook does not open); without
 * one, the secret itself, as before keys existed.
 */
export function sealSecret(key: KeyObject | undefined, webhookId: string, secret: string): string {
  if (key === undefined) return secret;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(webhookId, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${SEALED}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join(':')}`;
}

/** The secret a stored value holds: sealed ones are opened with `key`, plain ones (older rows, no key) read as they are. */
export function openSecret(key: KeyObject | undefined, webhookId: string, stored: string): string {
  if (!isSealed(stored)) return stored;
  if (key === undefined)
    throw new Error('The webhook secret is encrypted and TROVE_SECRET_KEY is not set, so deliveries cannot be signed.');
  try {
    const [iv, tag, data] = stored
      .slice(SEALED.length)
      .split(':')
      .map((part) => Buffer.from(part, 'base64url'));
    // A fixed tag length: a shorter tag would be accepted otherwise, and is easier to forge.
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('The webhook secret does not decrypt with TROVE_SECRET_KEY (was the key changed?).');
  }
}
