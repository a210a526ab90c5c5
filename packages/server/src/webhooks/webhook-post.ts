import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isNonPublicAddress } from './webhook-url.ts';

export interface PostResult {
  statusCode?: number;
  /** The first characters of the response body. */
  excerpt?: string;
  error?: string;
  latencyMs: number;
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivateIps: boolean;
  signal?: AbortSignal;
}

const EXCERPT_CHARS = 1000;
const READ_LIMIT = 64 * 1024;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function blocked(host: string, address: string): Error {
  return new Error(
    `Webhook delivery blocked: ${host} is the non-public address ${address} (set MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS=true to allow it).`,
  );
}

/** DNS lookup that refuses non-public answers: the check is on the address the socket connects to. */
function guardedLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isNonPublicAddress(a.address));
    if (bad) return callback(blocked(hostname, bad.address), []);
    if ((options as { all?: boolean }).all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/**
 * POSTs a JSON body once: no redirects followed (a redirect is an answer, recorded as such), the
 * whole exchange bounded by `timeoutMs`, at most 64 KiB of the answer read.
 */
export function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, 'latencyMs'>): PostResult => ({
    ...r,
    latencyMs: Math.round(performance.now() - started),
  });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateIps && isIP(host) && isNonPublicAddress(host))
    return Promise.resolve(done({ error: blocked(host, host).message }));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(done(r));
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: options.allowPrivateIps ? undefined : (guardedLookup as never),
    });
    const timer = setTimeout(() => {
      finish({ error: `Timed out after ${options.timeoutMs} ms.` });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = () => {
      finish({ error: 'Aborted: the server is shutting down.' });
      req.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish({ error: e.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const complete = () =>
        finish({ statusCode: res.statusCode, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS) });
      res.on('data', (chunk: Buffer) => {
        if (size < READ_LIMIT) chunks.push(chunk);
        size += chunk.length;
        if (size >= READ_LIMIT) {
          complete();
          res.destroy();
        }
      });
      res.on('end', complete);
      res.on('error', complete);
    });
    req.end(body);
  });
}
