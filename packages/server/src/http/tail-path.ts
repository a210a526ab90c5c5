import { safeArtifactPath } from '@trove/artifacts';
import type { FastifyRequest } from 'fastify';

/**
 * The wildcard tail of the route, cut from the RAW url and decoded here exactly once: Fastify's
 * `*` param is already decoded, so checking it would let `%252e%252e` through as `%2e%2e` and
 * a later decode turn it into `..`. Prefix segments are counted, not matched, because the
 * router tolerates duplicate slashes and encoded characters there.
 */
export function tailPath(req: FastifyRequest, allowEmpty = false, access: 'read' | 'write' = 'write'): string {
  const pattern = req.routeOptions.url ?? '';
  const prefixSegments = pattern.split('/').filter((s) => s !== '' && s !== '*').length;
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  let i = 0;
  for (let seen = 0; seen < prefixSegments; seen++) {
    while (path[i] === '/') i++;
    const next = path.indexOf('/', i);
    i = next < 0 ? path.length : next;
  }
  return safeArtifactPath(path.slice(i + 1), { allowEmpty, access });
}
