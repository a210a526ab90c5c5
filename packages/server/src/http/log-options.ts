import type { FastifyRequest } from 'fastify';

/** What `createApp` takes for logging: off, or a level and optionally where lines go (tests capture them). */
export type LoggerSetting = boolean | { level: string; stream?: { write(line: string): void } };

/** Query parameters whose values are credentials somewhere (OAuth codes and states, tokens, passwords). */
const SECRET_PARAM =
  /^(?:access_token|id_token|refresh_token|token|code|state|password|secret|api_key|apikey|session)$/i;

/** Anything that carries a credential, wherever a log line might hold request or response headers. */
const REDACT_PATHS = ['authorization', 'cookie', 'x-csrf-token', 'set-cookie'].flatMap((h) => [
  `req.headers["${h}"]`,
  `res.headers["${h}"]`,
  `headers["${h}"]`,
]);

/** A request URL with the values of credential-like query parameters replaced: `/cb?code=[redacted]&x=1`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {}
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

/**
 * Fastify's logger options: the level, and request lines that never carry a credential. Fastify
 * logs each request's method and URL (not its headers) at info; the URL's query is redacted here,
 * and headers are redacted should anything log them.
 */
export function loggerOptions(setting: LoggerSetting) {
  if (typeof setting === 'boolean') return setting;
  return {
    ...setting,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
