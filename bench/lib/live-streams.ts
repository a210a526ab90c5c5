/**
 * The event-stream side of `bench/live.ts`, in a process of its own so that parsing a thousand
 * streams does not slow the ingest clients that share the bench's event loop. Started by fork();
 * opens `count` streams on `topic`, says `ready`, and on `report` answers when each stream got
 * each probe step (epoch ms) and how many metrics events arrived.
 */
import http from 'node:http';

const [base, topic, probeRunId, countText] = process.argv.slice(2);
const count = Number(countText);
const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const received: Map<number, number>[] = [];
const requests: http.ClientRequest[] = [];
let events = 0;
let ready = 0;
const probe = new RegExp(`"run_id":"${probeRunId}".*?"probe":(\\d+)`, 'g');

for (let i = 0; i < count; i++) {
  const got = new Map<number, number>();
  received.push(got);
  const req = http.get(`${base}/api/trove/v1/events?topic=${encodeURIComponent(topic)}`, { agent }, (res) => {
    res.setEncoding('utf8');
    let ok = false;
    res.on('data', (chunk: string) => {
      const now = Date.now();
      if (!ok && chunk.includes('event: ready')) {
        ok = true;
        if (++ready === count) process.send?.({ type: 'ready' });
      }
      let at = chunk.indexOf('event: metrics');
      while (at >= 0) {
        events++;
        at = chunk.indexOf('event: metrics', at + 1);
      }
      if (chunk.includes(probeRunId)) for (const m of chunk.matchAll(probe)) got.set(Number(m[1]), now);
    });
  });
  req.on('error', () => {});
  requests.push(req);
}

process.on('message', (m: { type: string }) => {
  if (m.type !== 'report') return;
  process.send?.({ type: 'report', events, received: received.map((g) => [...g]) }, () => {
    for (const r of requests) r.destroy();
    process.exit(0);
  });
});
