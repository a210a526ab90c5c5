/**
 * `npm run bench:live`: what open live pages cost the ingest path (docs/benchmarks.md, "Live
 * events"). The real server in a child process; this process is the load generator:
 *   1. ingest (bench/benchmarks/ingest.ts: 4 clients, 1000-point log-batch requests) with no
 *      event stream open;
 *   2. N event streams (default 1000) subscribed to the experiment being written, then the same
 *      ingest again.
 * Printed: both ingest rates and their ratio (target ≥ 90%), the server's RSS with and without
 * the streams, and the delivery latency of a probe run's points (one log-metric every 100 ms;
 * latency = its acknowledgement → each stream receiving its event; p50/p95 over every stream).
 *
 *   npm run bench:live -- [--backend sqlite|postgres] [--connections 1000] [--seconds 10] [--pg-admin-uri …]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { ingest } from './benchmarks/ingest.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { formatLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { killAllChildren, startTroveServer } from './lib/server.ts';
import { fmtMs, fmtRate, nowMs, summarize } from './lib/stats.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const backend = flag('backend', 'sqlite');
const connections = Number(flag('connections', '1000'));
const seconds = Number(flag('seconds', '10'));
const pgAdminUri = flag('pg-admin-uri', process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test');

interface Stream {
  req: http.ClientRequest;
  /** Probe step → when this stream got it. */
  received: Map<number, number>;
  events: number;
}

/** An SSE client that only counts events and timestamps the probe run's (parsing little: the server is measured, not us). */
function openStream(base: string, topic: string, probeRunId: string, ready: () => void, agent: http.Agent): Stream {
  const s: Stream = { req: undefined as unknown as http.ClientRequest, received: new Map(), events: 0 };
  const probe = new RegExp(`"run_id":"${probeRunId}".*?"probe":(\\d+)`, 'g');
  s.req = http.get(`${base}/api/trove/v1/events?topic=${encodeURIComponent(topic)}`, { agent }, (res) => {
    res.setEncoding('utf8');
    let ok = false;
    res.on('data', (chunk: string) => {
      const now = nowMs();
      if (!ok && chunk.includes('event: ready')) {
        ok = true;
        ready();
      }
      let i = chunk.indexOf('event: metrics');
      while (i >= 0) {
        s.events++;
        i = chunk.indexOf('event: metrics', i + 1);
      }
      if (chunk.includes(probeRunId)) for (const m of chunk.matchAll(probe)) s.received.set(Number(m[1]), now);
    });
  });
  s.req.on('error', () => {});
  return s;
}

/** One log-metric every 100 ms on the probe run; answers step → acknowledgement time. */
function startProbe(client: ReturnType<typeof createClient>, runId: string) {
  const acked = new Map<number, number>();
  let step = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const s = step++;
      const body = JSON.stringify({ run_id: runId, key: 'probe', value: s, timestamp: Date.now(), step: s });
      const res = await client.request('POST', `${API}/runs/log-metric`, body);
      if (res.status === 200) acked.set(s, nowMs());
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    acked,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-live-'));
  const pgDb = backend === 'postgres' ? await createBenchDatabase(pgAdminUri, 'live_') : undefined;
  const server = await startTroveServer({ dataDir, backendStoreUri: pgDb?.uri });
  const client = createClient('node:http', server.url);
  const cpus = os.cpus();
  console.log(
    `Live events bench — ${cpus[0]?.model}, ${cpus.length} cores, Node ${process.version}; backend ${backend}; ${connections} streams; ${seconds} s ingest windows`,
  );
  console.log(`command: npm run bench:live -- ${process.argv.slice(2).join(' ')}`);
  const watch = startLoadWatch([server.pid]);
  try {
    const { experiment_id: exp } = await callJson(client, 'POST', `${API}/experiments/create`, { name: 'live-bench' });
    const { run } = await callJson(client, 'POST', `${API}/runs/create`, { experiment_id: exp, run_name: 'probe' });
    const probeRunId: string = run.info.run_id;

    const idle = server.memory();
    const probeA = startProbe(client, probeRunId);
    const without = await ingest(client, exp, seconds * 1000);
    await probeA.stop();
    const afterWithout = server.memory();

    const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    let readyCount = 0;
    let allReady!: () => void;
    const ready = new Promise<void>((r) => {
      allReady = r;
    });
    const t0 = nowMs();
    const streams: Stream[] = [];
    for (let i = 0; i < connections; i++)
      streams.push(
        openStream(
          server.url,
          `experiment:${exp}`,
          probeRunId,
          () => ++readyCount === connections && allReady(),
          agent,
        ),
      );
    if (connections > 0) await ready;
    console.log(`${connections} streams open and subscribed in ${fmtMs(nowMs() - t0)}`);
    const withStreamsIdle = server.memory();

    const probeB = startProbe(client, probeRunId);
    const withStreams = await ingest(client, exp, seconds * 1000);
    await probeB.stop();
    await new Promise((r) => setTimeout(r, 1000)); // the last probe events in flight
    const afterWith = server.memory();

    const latencies: number[] = [];
    let missing = 0;
    for (const [step, at] of probeB.acked)
      for (const s of streams) {
        const got = s.received.get(step);
        if (got === undefined) missing++;
        else latencies.push(Math.max(0, got - at));
      }
    const delivered = streams.reduce((n, s) => n + s.events, 0);
    for (const s of streams) s.req.destroy();
    const lat = summarize(latencies);
    const ratio = withStreams.pointsPerSecond / without.pointsPerSecond;
    console.log('');
    console.log(
      `ingest without streams: ${fmtRate(without.pointsPerSecond, 'points/s')} (${without.requests} requests)`,
    );
    console.log(
      `ingest with ${connections} streams: ${fmtRate(withStreams.pointsPerSecond, 'points/s')} (${withStreams.requests} requests) → ${(ratio * 100).toFixed(1)}% (target ≥ 90%)`,
    );
    console.log(
      `server RSS: idle ${idle.rssMb.toFixed(0)} MiB; after ingest without streams ${afterWithout.rssMb.toFixed(0)} MiB; with ${connections} streams open ${withStreamsIdle.rssMb.toFixed(0)} MiB, after ingest ${afterWith.rssMb.toFixed(0)} MiB (peak ${afterWith.hwmMb.toFixed(0)} MiB)`,
    );
    console.log(
      `delivery latency (probe point acknowledged → event at each stream): p50 ${fmtMs(lat.p50)}, p95 ${fmtMs(lat.p95)}, max ${fmtMs(lat.max)} over ${latencies.length} deliveries; ${missing} not received; ${delivered} metrics events delivered in all`,
    );
    console.log(formatLoad(watch()));
  } finally {
    await server.stop();
    if (pgDb) await dropBenchDatabase(pgAdminUri, pgDb.name);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
