/**
 * `npm run bench:live`: what open live pages cost the ingest path (docs/benchmarks.md, "Live
 * events"). The real server in a child process; this process is the load generator:
 *   1. ingest (bench/benchmarks/ingest.ts: 4 clients, 1000-point log-batch requests) with no
 *      event stream open;
 *   2. N event streams (default 1000) subscribed to the experiment being written, then the same
 *      ingest again.
 * Printed: both ingest rates and their ratio (target ≥ 90%), the server's RSS with and without
 * the streams, and the delivery latency of a probe run's points (one log-metric every 100 ms;
 * latency = its acknowledgement → each stream receiving its event; p50/p95 over every stream). The
 * streams are read by a child process (bench/lib/live-streams.ts), not the ingest clients' event loop.
 *
 *   npm run bench:live -- [--backend sqlite|postgres] [--connections 1000] [--seconds 10] [--pg-admin-uri …]
 */

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ingest } from './benchmarks/ingest.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { formatLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { killAllChildren, REPO_ROOT, startTroveServer } from './lib/server.ts';
import { fmtMs, fmtRate, nowMs, summarize } from './lib/stats.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const backend = flag('backend', 'sqlite');
const connections = Number(flag('connections', '1000'));
const seconds = Number(flag('seconds', '10'));
const pgAdminUri = flag('pg-admin-uri', process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test');

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
      if (res.status === 200) acked.set(s, Date.now());
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

    const t0 = nowMs();
    // The streams live in a child process: parsing them must not slow the ingest clients here.
    const streams = fork(
      join(REPO_ROOT, 'bench/lib/live-streams.ts'),
      [server.url, `experiment:${exp}`, probeRunId, String(connections)],
      {
        execArgv: ['--import', 'tsx'],
      },
    );
    if (connections > 0)
      await new Promise<void>((resolve, reject) => {
        streams.once('message', () => resolve());
        streams.once('exit', (code) => reject(new Error(`stream process exited (${code})`)));
      });
    console.log(`${connections} streams open and subscribed in ${fmtMs(nowMs() - t0)}`);
    const withStreamsIdle = server.memory();

    const probeB = startProbe(client, probeRunId);
    const withStreams = await ingest(client, exp, seconds * 1000);
    await probeB.stop();
    await new Promise((r) => setTimeout(r, 1000)); // the last probe events in flight
    const afterWith = server.memory();

    const report = await new Promise<{ events: number; received: [number, number][][] }>((resolve) => {
      streams.on('message', (m: { type: string; events: number; received: [number, number][][] }) => {
        if (m.type === 'report') resolve(m);
      });
      streams.send({ type: 'report' });
    });
    const latencies: number[] = [];
    let missing = 0;
    for (const [step, at] of probeB.acked)
      for (const got of report.received) {
        const when = new Map(got).get(step);
        if (when === undefined) missing++;
        else latencies.push(Math.max(0, when - at));
      }
    const delivered = report.events;
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
