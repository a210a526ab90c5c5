import { TroveError } from '@trove/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/caller.ts';
import { PUBLIC, routeKey } from '../auth/route-access.ts';
import { cookieHeader, readCookie, readSessionCookie, setSessionCookie } from '../auth/session-cookie.ts';
import type { Sso } from '../auth/sso.ts';
import { SSO_LOGIN_PATH } from '../auth/sso-config.ts';
import { SSO_STATE_COOKIE, SSO_STATE_TTL_MS } from '../auth/sso-login-state.ts';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const MAX_NEXT = 2048;

/**
 * Where to go after signing in: a path on this server, never another site. `//evil`, `/\evil`
 * and control characters (browsers drop tabs and newlines, turning `/\t/evil` into `//evil`) fall back.
 */
export function safeNext(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > MAX_NEXT) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Sign-in through the OpenID Connect provider: `/auth/sso/login` sends the browser there, and
 * `/auth/sso/callback` verifies its answer, provisions the user and starts the same session as a
 * password sign-in. Failures a browser meets are a short page (JSON for API clients), never a session.
 */
export function registerSsoRoutes(r: Router, services: Services, sso: Sso): void {
  const { identity, audit, config } = services.auth;
  const home = `${sso.config.loginPath.slice(0, -SSO_LOGIN_PATH.length)}/`;
  const statePath = sso.config.loginPath.slice(0, -'/login'.length);
  const stateCookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
    cookieHeader(request, SSO_STATE_COOKIE, value, { maxAgeSeconds, path: statePath });

  function failure(request: FastifyRequest, reply: FastifyReply, error: TroveError): FastifyReply {
    reply.status(error.status).header('cache-control', 'no-store');
    if (!(request.headers.accept ?? '').includes('text/html'))
      return reply.type('application/json').send({ error_code: error.code, message: error.message });
    const page =
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed · Trove</title></head>' +
      `<body><h1>Sign-in failed</h1><p>${escapeHtml(error.message)}</p>` +
      `<p><a href="${escapeHtml(sso.config.loginPath)}">Try again</a> · <a href="${escapeHtml(home)}">Back to Trove</a></p>` +
      '</body></html>';
    return reply.header('content-security-policy', "default-src 'none'").type('text/html; charset=utf-8').send(page);
  }

  /** A user's mistake or the provider's answer is a page; anything else stays a logged 500. */
  const guarded =
    (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request, reply);
      } catch (e) {
        if (e instanceof TroveError) return failure(request, reply, e);
        throw e;
      }
    };

  r.raw(
    'GET',
    '/auth/sso/login',
    guarded(async (request, reply) => {
      const next = safeNext((request.query as Record<string, unknown>).next, home);
      const { url, pending } = await sso.relyingParty.begin(next);
      reply.header('set-cookie', stateCookie(request, sso.sealer.seal(pending), SSO_STATE_TTL_MS / 1000));
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    }),
    { api: 'trove-server', access: PUBLIC },
  );

  r.raw(
    'GET',
    '/auth/sso/callback',
    guarded(async (request, reply) => {
      // One attempt per sign-in started: the pending state is spent whatever happens next.
      reply.header('set-cookie', stateCookie(request, '', 0));
      const pending = sso.sealer.open(readCookie(request, SSO_STATE_COOKIE));
      if (!pending)
        throw new TroveError(
          'BAD_REQUEST',
          'No sign-in was started in this browser, or it took longer than 10 minutes: start again.',
        );
      const query = new URL(request.url, 'http://trove.invalid').searchParams;
      const claims = await sso.relyingParty.finish(query, pending);
      const account = await sso.accounts.signIn(claims);
      // Memberships and the admin flag may have changed: credentials cached before must be looked up again.
      identity.forget();
      const previous = readSessionCookie(request);
      if (previous !== undefined) await identity.endSession(previous);
      const session = await identity.createSession(account.userId);
      const caller: Caller = {
        via: 'session',
        user: { id: account.userId, username: account.username, isAdmin: account.isAdmin, kind: 'user' },
        groupIds: [],
      };
      await audit.audited(
        {
          action: routeKey('trove-server', 'GET', '/auth/sso/callback'),
          resourceType: 'user',
          resourceId: account.username,
        },
        request,
        caller,
        { subject: claims.sub, created: account.created, groups: account.groups, is_admin: account.isAdmin },
        async () => undefined,
      );
      setSessionCookie(request, reply, session.secret, config.sessionTtlMs);
      return reply.header('cache-control', 'no-store').redirect(pending.next, 302);
    }),
    { api: 'trove-server', access: PUBLIC },
  );
}
