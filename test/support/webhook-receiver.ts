import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  deliveryId: string;
  timestamp: string;
  signatureOk: boolean;
  body: { entity: string; action: string; timestamp: string; data: Record<string, any> };
  headers: IncomingHttpHeaders;
  status: number;
}

/** Verifies `X-MLflow-Signature` the way a subscriber would. */
export function verifySignature(secret: string, headers: IncomingHttpHeaders, raw: string): boolean {
  const sig = String(headers['x-mlflow-signature'] ?? '');
  if (!sig.startsWith('v1,')) return false;
  const expected = createHmac('sha256', secret)
    .update(`${headers['x-mlflow-delivery-id']}.${headers['x-mlflow-timestamp']}.${raw}`)
    .digest();
  const got = Buffer.from(sig.slice(3), 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * A webhook subscriber on 127.0.0.1 that records every request. `respond` picks the status for
 * each request (given the delivery id and how many times that id was seen, from 1).
 */
export async function startReceiver(secret: string, respond: (deliveryId: string, seen: number) => number = () => 200) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const deliveryId = String(req.headers['x-mlflow-delivery-id']);
      const n = (seen.get(deliveryId) ?? 0) + 1;
      seen.set(deliveryId, n);
      const status = respond(deliveryId, n);
      received.push({
        deliveryId,
        timestamp: String(req.headers['x-mlflow-timestamp']),
        signatureOk: verifySignature(secret, req.headers, raw),
        body: JSON.parse(raw),
        headers: req.headers,
        status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `failing on purpose (${n})`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    /** Requests answered 2xx, per delivery id. */
    acknowledged: () => received.filter((r) => r.status < 300),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
