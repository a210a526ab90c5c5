import type { FastifyInstance } from 'fastify';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, Content-Type, X-CSRF-Token, X-Request-Id';
const PREFLIGHT_MAX_AGE_S = '600';

/** An origin as browsers send it (`https://app.example.com:8443`), or undefined for anything else. */
export function normalOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Cross-origin access is closed unless `TROVE_CORS_ORIGINS` lists the page's origin: only then do
 * responses carry `Access-Control-Allow-Origin` (that origin, never `*`) and preflights get an
 * answer. Credentials (cookies) are never allowed cross-origin; such a page signs in with a token.
 */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return;
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined)
      return reply
        .status(204)
        .header('Access-Control-Allow-Methods', ALLOW_METHODS)
        .header('Access-Control-Allow-Headers', ALLOW_HEADERS)
        .header('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S)
        .send();
  });
}
