import { type ClientKind, createClient, expectOk, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { fmtMs, fmtRate, measureLatency, measureThroughput, type Summary, summarize } from '../lib/stats.ts';

/** The small JSON body of the echo requests: about the size of a small log-batch. */
export const ECHO_BODY = JSON.stringify({
  run_id: 'a'.repeat(32),
  metrics: [{ key: 'loss', value: 0.5, timestamp: 1735689600000, step: 1 }],
});

export interface EchoResult {
  client: ClientKind;
  sequential: Summary;
  concurrency: number;
  requestsPerSecond: number;
  concurrentLatency: Summary;
}

async function measure(client: HttpClient, seqN: number, concurrentMs: number): Promise<EchoResult> {
  const call = async () => expectOk(await client.request('POST', '/echo', ECHO_BODY), 'echo');
  const seq = await measureLatency(call, { warmup: Math.min(500, seqN / 4), n: seqN, budgetMs: 30_000 });
  const conc = await measureThroughput(call, 4, concurrentMs);
  return {
    client: client.kind,
    sequential: summarize(seq.samples),
    concurrency: 4,
    requestsPerSecond: (conc.count / conc.wallMs) * 1000,
    concurrentLatency: summarize(conc.latencies),
  };
}

/**
 * Compares fetch (undici) and node:http (keep-alive Agent) against the echo server and returns the
 * faster one: the one with more requests/s at 4 concurrent clients, which is where client CPU cost
 * shows on a 2-core machine (ties within 5% go to the lower sequential p50).
 */
export async function pickClient(echoUrl: string): Promise<{ kind: ClientKind; trials: EchoResult[] }> {
  const trials: EchoResult[] = [];
  for (const kind of ['fetch', 'node:http'] as const) {
    const client = createClient(kind, echoUrl);
    const r = await measure(client, 2000, 2000);
    await client.close();
    trials.push(r);
    log(
      `  client ${kind.padEnd(9)}: echo p50 ${fmtMs(r.sequential.p50)}, ${fmtRate(r.requestsPerSecond, 'req/s')} with 4 clients`,
    );
  }
  const [a, b] = trials;
  const close =
    Math.abs(a.requestsPerSecond - b.requestsPerSecond) / Math.max(a.requestsPerSecond, b.requestsPerSecond) < 0.05;
  const best = close
    ? a.sequential.p50 <= b.sequential.p50
      ? a
      : b
    : a.requestsPerSecond > b.requestsPerSecond
      ? a
      : b;
  log(`  → using ${best.client} for every benchmark`);
  return { kind: best.client, trials };
}

/** The limit for small requests: p50 round trip over keep-alive, and req/s with 4 concurrent clients. */
export async function httpEcho(client: HttpClient): Promise<EchoResult> {
  const r = await measure(client, 5000, 3000);
  log(
    `http-echo (${client.kind}): p50 ${fmtMs(r.sequential.p50)} (p95 ${fmtMs(r.sequential.p95)}), ${fmtRate(r.requestsPerSecond, 'req/s')} with 4 clients (p50 ${fmtMs(r.concurrentLatency.p50)})`,
  );
  return r;
}
