import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, openSecret, parseSecretKey, sealSecret } from '../src/webhooks/secret-box.ts';

const key = createSecretKey(randomBytes(32));

describe('webhook secrets at rest', () => {
  it('seals as enc:v1:<iv>:<tag>:<ciphertext> with a fresh IV each time, and opens again', () => {
    const a = sealSecret(key, 'hook-1', 'shh');
    const b = sealSecret(key, 'hook-1', 'shh');
    expect(a).toMatch(/^enc:v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('shh');
    expect(openSecret(key, 'hook-1', a)).toBe('shh');
    expect(isSealed(a)).toBe(true);
  });

  it('keeps secrets as given without a key, and reads plain ones with or without a key', () => {
    expect(sealSecret(undefined, 'hook-1', 'plain')).toBe('plain');
    expect(openSecret(key, 'hook-1', 'plain')).toBe('plain');
    expect(openSecret(undefined, 'hook-1', 'plain')).toBe('plain');
  });

  it('refuses to open without the key, with another key, on another webhook, or tampered', () => {
    const sealed = sealSecret(key, 'hook-1', 'shh');
    expect(() => openSecret(undefined, 'hook-1', sealed)).toThrow(/TROVE_SECRET_KEY is not set/);
    expect(() => openSecret(createSecretKey(randomBytes(32)), 'hook-1', sealed)).toThrow(/does not decrypt/);
    expect(() => openSecret(key, 'hook-2', sealed)).toThrow(/does not decrypt/);
    const [iv, tag, data] = sealed.slice('enc:v1:'.length).split(':');
    expect(() => openSecret(key, 'hook-1', `enc:v1:${iv}:${tag.slice(0, 8)}:${data}`)).toThrow(/does not decrypt/);
    expect(() =>
      openSecret(key, 'hook-1', `enc:v1:${iv}:${tag}:${data[0] === 'A' ? 'B' : 'A'}${data.slice(1)}`),
    ).toThrow(/does not decrypt/);
    expect(() => openSecret(key, 'hook-1', 'enc:v1:garbage')).toThrow(/does not decrypt/);
  });

  it('reads TROVE_SECRET_KEY as 64 hex digits or base64 of 32 bytes, nothing else', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) {
      const parsed = parseSecretKey(text);
      expect(typeof parsed, text).not.toBe('string');
      expect(openSecret(parsed as typeof key, 'h', sealSecret(createSecretKey(bytes), 'h', 'x'))).toBe('x');
    }
    for (const text of ['', 'short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64')])
      expect(parseSecretKey(text), text).toMatch(/must be 32 bytes/);
  });
});
