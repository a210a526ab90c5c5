/**
 * `npm run bench:replicas`: do more Trove processes add throughput on one PostgreSQL? For 1, 2 and
 * 4 processes, as `--workers N` (node:cluster) and as N replicas behind nginx, `--clients`
 * concurrent clients send log-batch requests, then filtered runs/search requests, each for a fixed
 * time. Every phase records where the machine's CPU went (Trove, PostgreSQL, nginx, this load
 * generator, other processes), and the per-request CPU cost of Trove and of PostgreSQL gives a
 * model of where the limit moves on larger machines. See docs/benchmarks.md, "Replicas".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_OPTIONS, exitOnHelp, startBench } from './lib/bench-cli.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { type CpuSplit, formatSplit, watchCpu } from './lib/cpu-split.ts';
import { createBenchDatabase, dropBenchDatabase, pgVersion, seedSearchRunsPg } from './lib/postgres.ts';
import { ingestPhase, type PhaseResult, searchPhase } from './lib/replica-load.ts';
import { startTopology, type TopologyMode } from './lib/replica-topology.ts';
import { log } from './lib/report.ts';
import { killAllChildren, REPO_ROOT, startTroveServer } from './lib/server.ts';
import { fmtMs, fmtRate } from './lib/stats.ts';

const USAGE = `usage: npm run bench:replicas -- [options]   (PostgreSQL only; nginx at $TROVE_NGINX or /usr/sbin/nginx)
  --modes <list>        workers,nginx (default both)
  --counts <list>       Trove processes per topology (default 1,2,4)
  --pool-sizes <list>   TROVE_DB_POOL_SIZE of every process; each size runs the whole matrix (default 10)
  --clients <n>         concurrent clients (default 8)
  --seconds <s>         measured seconds per phase (default 10), after --warmup <s> (default 2)
  --keys <n> --steps <n>  points per log-batch request = keys × steps (default 10 × 10)
  --runs <n>            runs in the searched experiment (default 10000)
  --nginx-keepalive <n> nginx keepalive connections to the replicas (default 0, as docs/deployment.md)
  --pg-admin-uri <uri>  (default $TROVE_BENCH_PG_URI or postgresql://postgres@127.0.0.1:5432/test)
  --out <file>          JSON results (default bench/results/latest-replicas.json)
  --timeout <s>         stop everything after this many seconds (default 1800)`;

const { values: a } = parseArgs({
  options: {
    ...BENCH_OPTIONS,
    modes: { type: 'string', default: 'workers,nginx' },
    counts: { type: 'string', default: '1,2,4' },
    'pool-sizes': { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    keys: { type: 'string', default: '10' },
    steps: { type: 'string', default: '10' },
    runs: { type: 'string', default: '10000' },
    'nginx-keepalive': { type: 'string', default: '0' },
    out: { type: 'string', default: join(REPO_ROOT, 'bench/results/latest-replicas.json') },
  },
});
exitOnHelp(a, USAGE);
const numbers = (s: string) => s.split(',').map((x) => Number(x.trim()));
const modes = a.modes.split(',').map((m) => m.trim()) as TopologyMode[];
if (modes.some((m) => m !== 'workers' && m !== 'nginx'))
  throw new Error(`--modes: workers and/or nginx, got ${a.modes}`);
const counts = numbers(a.counts);
const poolSizes = numbers(a['pool-sizes']);
const clients = Number(a.clients);
const durationMs = Number(a.seconds) * 1000;
const warmupMs = Number(a.warmup) * 1000;
const shape = { keys: Number(a.keys), steps: Number(a.steps) };
const runs = Number(a.runs.replaceAll('_', ''));

interface Row {
  mode: TopologyMode;
  processes: number;
  poolSize: number;
  ingest: PhaseResult & { pointsPerSecond: number; cpu: CpuSplit };
  search: PhaseResult & { cpu: CpuSplit };
}

/** CPU milliseconds per request of one group (PostgreSQL: its backends plus its shared processes). */
function perRequest(p: PhaseResult & { cpu: CpuSplit }) {
  const ms = (s: number) => (s * 1000) / Math.max(1, p.requests);
  const c = p.cpu.cpuSeconds;
  return {
    trove: ms(c.trove),
    postgres: ms(c.postgres + c.postgresShared),
    nginx: ms(c.nginx),
    loadGenerator: ms(c.loadGenerator),
  };
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const load = (s: CpuSplit) => `${s.loadavgStart.toFixed(1)}→${s.loadavgEnd.toFixed(1)}`;
const share = (s: CpuSplit, x: number) => `${((100 * x) / (s.seconds * s.cores)).toFixed(0)}%`;

/** Where the limit moves: per-request CPU of Trove and PostgreSQL, extrapolated to more cores. */
function model(kind: string, cost: { trove: number; postgres: number; nginx: number }): string[] {
  const out = [
    `${kind}: Trove ${cost.trove.toFixed(2)} ms CPU per request, PostgreSQL ${cost.postgres.toFixed(2)} ms, nginx ${cost.nginx.toFixed(2)} ms`,
  ];
  const all = cost.trove + cost.postgres + cost.nginx;
  out.push(
    `  one host, load generator elsewhere: ≈ ${fmtRate(1000 / all, 'req/s')} per core; PostgreSQL takes ${((100 * cost.postgres) / all).toFixed(0)}% of the CPU, Trove ${((100 * cost.trove) / all).toFixed(0)}%`,
  );
  for (const cores of [2, 4, 8, 16, 32]) {
    const ceiling = (cores * 1000) / cost.postgres;
    out.push(
      `  PostgreSQL on ${cores} cores of its own: ceiling ≈ ${fmtRate(ceiling, 'req/s')}, reached with ≈ ${((cores * cost.trove) / cost.postgres).toFixed(1)} cores of Trove processes`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const { machine, command } = startBench('replicas', Number(a.timeout));
  const pg = await pgVersion(a['pg-admin-uri']);
  const db = await createBenchDatabase(a['pg-admin-uri'], 'rep_');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-replicas-'));
  log(
    `${pg}; database ${db.name}; ${clients} clients; ${shape.keys * shape.steps} points per log-batch; ${runs} runs searched; ${durationMs / 1000} s per phase after ${warmupMs / 1000} s warm-up`,
  );
  const rows: Row[] = [];
  try {
    const setup = await startTroveServer({ dataDir, backendStoreUri: db.uri });
    const sc = createClient('node:http', setup.url);
    const experiment = async (name: string) =>
      (await callJson(sc, 'POST', `${API}/experiments/create`, { name })).experiment_id as string;
    const ingestExperiment = await experiment('replicas-ingest');
    const searchExperiment = await experiment('replicas-search');
    await sc.close();
    await setup.stop();
    const seeded = await seedSearchRunsPg(db.uri, Number(searchExperiment), runs);
    log(`seeded ${runs} runs in ${fmtMs(seeded.ms)}\n`);

    for (const poolSize of poolSizes)
      for (const mode of modes)
        for (const processes of counts) {
          const topology = await startTopology({
            mode,
            processes,
            storeUri: db.uri,
            dataDir,
            poolSize,
            nginxKeepalive: Number(a['nginx-keepalive']),
          });
          const http = createClient('node:http', topology.url);
          try {
            const groups = { trove: topology.trovePids, nginx: topology.nginxPids, database: db.name };
            const watch = () => watchCpu(groups);
            const ingest = await ingestPhase(http, ingestExperiment, clients, shape, warmupMs, durationMs, watch);
            const search = await searchPhase(http, searchExperiment, clients, warmupMs, durationMs, watch);
            const ingestCpu = ingest.watched as CpuSplit;
            const searchCpu = search.watched as CpuSplit;
            const row: Row = {
              mode,
              processes,
              poolSize,
              ingest: { ...ingest, cpu: ingestCpu },
              search: { ...search, cpu: searchCpu },
            };
            rows.push(row);
            for (const [name, p] of [
              ['ingest', row.ingest],
              ['search', row.search],
            ] as const)
              if (p.errors > 0)
                log(`  ${mode} ×${processes} ${name}: ${p.errors} failed requests, last: ${p.lastError}`);
            log(
              `${mode} ×${processes} (pool ${poolSize}): ingest ${fmtRate(ingest.pointsPerSecond, 'points/s')} ${fmtRate(ingest.requestsPerSecond, 'req/s')} p50 ${fmtMs(ingest.latency.p50)} p95 ${fmtMs(ingest.latency.p95)}; search ${fmtRate(search.requestsPerSecond, 'req/s')} p50 ${fmtMs(search.latency.p50)} p95 ${fmtMs(search.latency.p95)}`,
            );
            log(`  ingest CPU: ${formatSplit(ingestCpu)}; load ${load(ingestCpu)}`);
            log(`  search CPU: ${formatSplit(searchCpu)}; load ${load(searchCpu)}`);
          } finally {
            await http.close();
            await topology.stop();
          }
        }
  } finally {
    killAllChildren();
    await dropBenchDatabase(a['pg-admin-uri'], db.name).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }

  log(
    `\nThroughput (${clients} clients; ${shape.keys * shape.steps} points per log-batch; load average = 1-min at the phase's start→end)\n`,
  );
  log(
    table(
      ['topology', 'pool', 'ingest points/s', 'req/s', 'p50', 'p95', 'load', 'search req/s', 'p50', 'p95', 'load'],
      rows.map((r) => [
        `${r.mode} ×${r.processes}`,
        String(r.poolSize),
        fmtRate(r.ingest.pointsPerSecond, ''),
        r.ingest.requestsPerSecond.toFixed(0),
        fmtMs(r.ingest.latency.p50),
        fmtMs(r.ingest.latency.p95),
        load(r.ingest.cpu),
        r.search.requestsPerSecond.toFixed(0),
        fmtMs(r.search.latency.p50),
        fmtMs(r.search.latency.p95),
        load(r.search.cpu),
      ]),
    ),
  );
  log(`\nCPU split (share of ${machine.cores} cores × phase time; ms = CPU per request)\n`);
  log(
    table(
      [
        'topology',
        'phase',
        'trove',
        'postgres',
        'pg shared',
        'nginx',
        'load gen',
        'others',
        'idle',
        'trove ms',
        'pg ms',
      ],
      rows.flatMap((r) =>
        (['ingest', 'search'] as const).map((phase) => {
          const p = r[phase];
          const c = p.cpu.cpuSeconds;
          const ms = perRequest(p);
          return [
            `${r.mode} ×${r.processes} pool ${r.poolSize}`,
            phase,
            share(p.cpu, c.trove),
            share(p.cpu, c.postgres),
            share(p.cpu, c.postgresShared),
            share(p.cpu, c.nginx),
            share(p.cpu, c.loadGenerator),
            share(p.cpu, c.others),
            share(p.cpu, c.idle),
            ms.trove.toFixed(2),
            ms.postgres.toFixed(2),
          ];
        }),
      ),
    ),
  );
  const base = rows.find((r) => r.mode === 'workers' && r.processes === 1) ?? rows[0];
  if (base) {
    log(
      `\nModel, from ${base.mode} ×${base.processes} (the least contended row; an upper bound: locks and WAL flushes do not scale with cores)\n`,
    );
    const ing = perRequest(base.ingest);
    const nginxRow = rows.find((r) => r.mode === 'nginx' && r.processes === base.processes);
    const nginxMs = (phase: 'ingest' | 'search') => (nginxRow ? perRequest(nginxRow[phase]).nginx : 0);
    for (const line of model(`log-batch of ${shape.keys * shape.steps} points`, { ...ing, nginx: nginxMs('ingest') }))
      log(line);
    for (const line of model('filtered search', { ...perRequest(base.search), nginx: nginxMs('search') })) log(line);
  }
  mkdirSync(dirname(a.out), { recursive: true });
  writeFileSync(
    a.out,
    JSON.stringify({ machine, postgres: pg, command, options: a, finishedAt: new Date().toISOString(), rows }, null, 2),
  );
  log(`\nresults: ${a.out}`);
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
