import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A tiny HTTP server on port 0 that answers from a script (the last reply repeats) and records every request. */
export async function startStub(replies: StubReply[]) {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback URL nothing listens on (a port that was just bound and released). */
export async function closedPortUrl(): Promise<string> {
  const stub = await startStub([{ status: 200 }]);
  await stub.close();
  return stub.url;
}

/** A fetch that counts the calls whose URL contains `match` (all calls when omitted). */
export function countingFetch(match?: string) {
  const calls: string[] = [];
  const fn: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (match === undefined || url.includes(match)) calls.push(url);
    return fetch(input, init);
  };
  return { fetch: fn, calls };
}
