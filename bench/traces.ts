/**
 * `npm run bench:traces`: trace search over 1M traces, OTLP span ingest and the trace page with
 * 10k spans, each printed beside limits measured in the same run (raw SQLite insert of rows as
 * wide as the stored ones; the HTTP round trip to a bare node:http server and to the same Trove
 * server). See docs/benchmarks.md, "Traces".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_OPTIONS, exitOnHelp, startBench } from './lib/bench-cli.ts';
import { createClient } from './lib/client.ts';
import { formatLoad, type LoadReport, shortLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { log } from './lib/report.ts';
import { killAllChildren, REPO_ROOT, startEchoServer, startTroveServer } from './lib/server.ts';
import type { Summary } from './lib/stats.ts';
import { type IngestResult, otlpIngestBench } from './traces/ingest.ts';
import { fmtRoundTrip, formatRawInsert, type RawInsertLimit, rawInsertLimit, roundTrip } from './traces/limits.ts';
import { type TracePageResult, tracePageBench } from './traces/page.ts';
import { spanRow, traceRow } from './traces/rows.ts';
import { type TraceSearchResult, traceQueries, traceSearchBench } from './traces/search.ts';
import { prepareTraceData } from './traces/setup.ts';

const USAGE = `usage: npm run bench:traces -- [options]
  --only <search,ingest,page>  run only these (default: all three)
  --traces <n>      traces seeded for search (default 1000000)
  --rounds <n>      rounds of every measurement (default 3)
  --n <n>           timed requests per query and round (default 20)
  --data <dir>      seed into (or reuse the traces already seeded in) this directory, and keep it (SQLite)
  --backend sqlite|postgres  the metadata store (default sqlite); postgres creates a database
                    trove_bench_<random> through --pg-admin-uri and drops it at the end
  --pg-admin-uri <uri>  (default $TROVE_BENCH_PG_URI or postgresql://postgres@127.0.0.1:5432/test)
  --timeout <s>     stop everything after this many seconds (default 1800)`;

const { values: a } = parseArgs({
  options: {
    ...BENCH_OPTIONS,
    only: { type: 'string', default: 'search,ingest,page' },
    traces: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    n: { type: 'string', default: '20' },
    data: { type: 'string' },
  },
});
exitOnHelp(a, USAGE);
const only = new Set(a.only.split(','));
const rounds = Number(a.rounds);
const n = Number(a.n);
const traces = Number(a.traces.replaceAll('_', ''));

interface Results {
  machine: Record<string, unknown>;
  command: string;
  backend: string;
  startedAt: string;
  limits: { rawInsert: RawInsertLimit[]; echo?: Summary; health?: Summary };
  search?: TraceSearchResult & { seededTraces: number; seedMs: number };
  ingest?: IngestResult | { missing: string };
  page?: TracePageResult | { missing: string };
  phaseLoad: Record<string, LoadReport>;
  load?: LoadReport;
}

async function main(): Promise<void> {
  const { machine, command } = startBench('traces', Number(a.timeout));
  const results: Results = {
    machine,
    command,
    backend: a.backend,
    startedAt: new Date().toISOString(),
    limits: { rawInsert: [] },
    phaseLoad: {},
  };
  const watchAll = startLoadWatch();
  const phase = async <T>(name: string, fn: () => Promise<T>, pids: number[] = []): Promise<T> => {
    const done = startLoadWatch(pids);
    const out = await fn();
    results.phaseLoad[name] = done();
    log(`  (${name}: ${shortLoad(results.phaseLoad[name])})`);
    return out;
  };
  const dataDir = a.data ?? mkdtempSync(join(os.tmpdir(), 'trove-bench-traces-'));
  mkdirSync(dataDir, { recursive: true });
  const echo = await startEchoServer();
  const pgDb = a.backend === 'postgres' ? await createBenchDatabase(a['pg-admin-uri']) : undefined;
  if (pgDb) log(`backend: PostgreSQL, database ${pgDb.name}`);
  try {
    await phase('limits', async () => {
      for (const [table, row] of [
        ['traces', traceRow],
        ['trace_spans', spanRow],
      ] as const) {
        const r = await rawInsertLimit(dataDir, table, row);
        results.limits.rawInsert.push(r);
        log(formatRawInsert(r));
      }
      const c = createClient('node:http', echo.url);
      results.limits.echo = await roundTrip(c, '/');
      log(`HTTP round trip, bare node:http server: ${fmtRoundTrip(results.limits.echo)}`);
      await c.close();
    });

    const data = only.has('search') ? await prepareTraceData(dataDir, traces, pgDb?.uri) : undefined;
    const server = await startTroveServer({ dataDir, backendStoreUri: pgDb?.uri });
    const client = createClient('node:http', server.url);
    try {
      results.limits.health = await roundTrip(client, '/health');
      log(`HTTP round trip, the Trove server's /health: ${fmtRoundTrip(results.limits.health)}\n`);
      if (data) {
        const exp = data.experiments[0];
        log(`trace search over ${traces} traces (experiment ${exp.id}: ${data.seed.counts[exp.id]?.all} of them):`);
        const r = await phase(
          'search',
          () =>
            traceSearchBench(client, String(exp.id), traceQueries(data.seed, String(exp.id), exp.runs[0]), {
              rounds,
              n,
              deep: 50,
            }),
          [server.pid],
        );
        results.search = { ...r, seededTraces: traces, seedMs: data.seed.ms };
      }
      if (only.has('ingest'))
        results.ingest = await phase('ingest', () => otlpIngestBench(client, server.url, echo.url, rounds), [
          server.pid,
          echo.pid,
        ]);
      if (only.has('page'))
        results.page = await phase('page', () => tracePageBench(client, server.url, rounds), [server.pid]);
    } finally {
      await client.close();
      await server.stop();
    }
  } finally {
    await echo.stop();
    if (pgDb) await dropBenchDatabase(a['pg-admin-uri'], pgDb.name);
    if (!a.data) rmSync(dataDir, { recursive: true, force: true });
  }
  results.load = watchAll();
  log(`\n${formatLoad(results.load)}`);
  const all = ['search', 'ingest', 'page'].every((b) => only.has(b));
  const name = [...(a.backend === 'postgres' ? ['postgres'] : []), ...(all ? [] : only)];
  const out = join(REPO_ROOT, `bench/results/latest-traces${name.map((p) => `-${p}`).join('')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${out}`);
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
