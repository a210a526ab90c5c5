import { TroveError } from '@trove/protocol';
import type { FastifyInstance } from 'fastify';
import { isLoopbackHost } from '../auth/auth-config.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The Host names requests may carry (any port), or undefined when any is accepted. A server on
 * loopback with authentication off accepts only loopback names, so a page on another site that
 * rebinds its DNS name to 127.0.0.1 still sends its own name and is refused: without this, the
 * browser would let it read and change everything. `TROVE_ALLOWED_HOSTS` (`extra`) adds names,
 * and when given the list applies with authentication on and on other addresses too.
 *
 * @example allowedHostsFor('127.0.0.1', false, []) // ['localhost', '127.0.0.1', '[::1]']
 */
export function allowedHostsFor(
  bindHost: string,
  authEnabled: boolean,
  extra: readonly string[],
): readonly string[] | undefined {
  const loopback = isLoopbackHost(bindHost);
  if (extra.length === 0 && (authEnabled || !loopback)) return undefined;
  const bound = loopback ? [bindHost.includes(':') ? `[${bindHost}]` : bindHost] : [];
  return Object.freeze([...new Set([...LOOPBACK_NAMES, ...bound, ...extra].map((h) => h.toLowerCase()))]);
}

/** The name of a Host header without its port: `[::1]:5000` → `[::1]`, `Localhost:5000` → `localhost`. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** Refuses (403) every request whose Host is not in `allowed`; installs nothing when `allowed` is undefined. */
export function installHostCheck(app: FastifyInstance, allowed: readonly string[] | undefined): void {
  if (allowed === undefined) return;
  const names = new Set(allowed);
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host ?? '';
    if (!names.has(hostName(host)))
      throw new TroveError(
        'PERMISSION_DENIED',
        `Host '${host}' is not served here: this server answers only to ${[...names].join(', ')}. ` +
          'Add the name to TROVE_ALLOWED_HOSTS to reach it under another one.',
      );
  });
}
