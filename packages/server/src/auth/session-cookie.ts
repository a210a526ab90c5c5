import { Identity } from '@trove/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'trove_session';

/** Whether the browser reached the server over TLS (directly or through a proxy that says so). */
export function overTls(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

/** One cookie of the request, decoded; undefined when absent or not decodable (never a 500). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly (unless `readable`), SameSite=Lax, Secure behind TLS; `maxAgeSeconds` 0 deletes it. */
export function cookieHeader(
  request: FastifyRequest,
  name: string,
  value: string,
  options: { maxAgeSeconds: number; path?: string; readable?: boolean },
): string {
  const secure = overTls(request) ? '; Secure' : '';
  const httpOnly = options.readable ? '' : '; HttpOnly';
  return `${name}=${encodeURIComponent(value)}; Path=${options.path ?? '/'}${httpOnly}; SameSite=Lax; Max-Age=${options.maxAgeSeconds}${secure}`;
}

/** The session secret the browser sent, if any. */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  return readCookie(request, SESSION_COOKIE);
}

/**
 * Starts a browser session (password or SSO sign-in): the session cookie for `secret`, and beside
 * it the readable marker that one is set (`Identity.SIGNED_IN_COOKIE`, no secret in it).
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, ttlMs: number): void {
  const maxAgeSeconds = Math.floor(ttlMs / 1000);
  reply.header('set-cookie', [
    cookieHeader(request, SESSION_COOKIE, secret, { maxAgeSeconds }),
    cookieHeader(request, Identity.SIGNED_IN_COOKIE, '1', { maxAgeSeconds, readable: true }),
  ]);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', [
    cookieHeader(request, SESSION_COOKIE, '', { maxAgeSeconds: 0 }),
    cookieHeader(request, Identity.SIGNED_IN_COOKIE, '', { maxAgeSeconds: 0, readable: true }),
  ]);
}
