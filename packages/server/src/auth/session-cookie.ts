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

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure behind TLS; `maxAgeSeconds` 0 deletes it. */
export function cookieHeader(
  request: FastifyRequest,
  name: string,
  value: string,
  options: { maxAgeSeconds: number; path?: string },
): string {
  const secure = overTls(request) ? '; Secure' : '';
  return `${name}=${encodeURIComponent(value)}; Path=${options.path ?? '/'}; HttpOnly; SameSite=Lax; Max-Age=${options.maxAgeSeconds}${secure}`;
}

/** The session secret the browser sent, if any. */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  return readCookie(request, SESSION_COOKIE);
}

/** Starts a browser session (password or SSO sign-in): the session cookie for `secret`. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, ttlMs: number): void {
  reply.header(
    'set-cookie',
    cookieHeader(request, SESSION_COOKIE, secret, { maxAgeSeconds: Math.floor(ttlMs / 1000) }),
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', cookieHeader(request, SESSION_COOKIE, '', { maxAgeSeconds: 0 }));
}
