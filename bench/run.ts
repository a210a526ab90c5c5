/**
 * `npm run bench`: Trove's performance numbers, each printed next to a physical limit measured
 * in the same run on the same machine. See docs/benchmarks.md.
 *
 * The server under test is the real CLI in a child process; the load generator (this process)
 * never shares its event loop, and memory figures are the server's own (/proc/<pid>/status).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { type HistoryResult, historyBench, historyScanLimit, type ScanLimit } from './benchmarks/history.ts';
import { historyScanLimitPg } from './benchmarks/history-postgres.ts';
import { type EchoResult, httpEcho, pickClient } from './benchmarks/http-echo.ts';
import { type IngestResult, ingest } from './benchmarks/ingest.ts';
import { type PostgresFloor, postgresFloor } from './benchmarks/postgres-floor.ts';
import { rawPostgresInsert } from './benchmarks/raw-postgres-insert.ts';
import { type RawInsertResult, rawSqliteInsert } from './benchmarks/raw-sqlite-insert.ts';
import { type SearchResult, searchBench } from './benchmarks/search.ts';
import { type SmallBatchResult, smallLogBatch } from './benchmarks/small-log-batch.ts';
import { type BenchName, parseArgs, USAGE } from './lib/args.ts';
import { API, type ClientKind, callJson, createClient } from './lib/client.ts';
import { countPostgresBackends, formatLoad, type LoadReport, shortLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase, pgVersion, seedSearchRunsPg, seedSeriesPg } from './lib/postgres.ts';
import { formatProfile, newestProfile, type ProfileSummary, summarizeProfile } from './lib/profile.ts';
import { log, markdownTable, type Row } from './lib/report.ts';
import { type SeededRuns, seedSearchRuns, seedSeries } from './lib/seed.ts';
import { killAllChildren, type Memory, REPO_ROOT, startEchoServer, startTroveServer } from './lib/server.ts';
import { fmtMs, fmtRate } from './lib/stats.ts';

interface Results {
  machine: Record<string, unknown>;
  backend?: string;
  command: string;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  client?: { kind: ClientKind; trials?: EchoResult[] };
  /** One row per INSERT, then 50 rows per INSERT (as the server's writer batches). */
  rawSqliteInsert?: RawInsertResult[];
  /** PostgreSQL's own round trip, commit, COPY and unnest-insert limits (with --backend postgres). */
  postgresFloor?: PostgresFloor;
  httpEcho?: EchoResult;
  ingest?: IngestResult;
  smallLogBatch?: SmallBatchResult;
  seeding?: { searchRuns?: SeededRuns; seriesMs?: Record<string, number> };
  search?: SearchResult;
  historyScanLimit?: ScanLimit;
  history?: HistoryResult;
  rss?: { idle: Memory; after: Memory };
  serverCpuProfile?: ProfileSummary;
  load?: LoadReport;
  /** Machine load during each benchmark (others = CPU used by processes other than bench and server). */
  phaseLoad: Record<string, LoadReport>;
  /** Server memory right after each benchmark (VmHWM shows which one set the peak). */
  phaseMemory: Record<string, Memory>;
  table: Row[];
}

const TARGETS = {
  ingestPointsPerSecond: 300_000,
  smallBatchP50Ms: 1,
  /** PostgreSQL (issue 16): ingest as a share of the COPY floor, small log-batch p50 over the commit floor. */
  ingestOfCopy: 0.8,
  smallBatchOfCommit: 1.5,
  searchP50Ms: 50,
  firstPageP50Ms: 100,
  fullHistoryMs: 3000,
  sampledP50Ms: 20,
  rssMb: 300,
};

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

const mib = (m: number) => `${m.toFixed(0)} MiB`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

async function main(): Promise<void> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    console.error(USAGE);
    process.exit(2);
  }
  const selected = (name: BenchName) => opts.only.length === 0 || opts.only.includes(name);
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${opts.timeoutSeconds} s, stopping (raise with --timeout)`);
    killAllChildren();
    process.exit(3);
  }, opts.timeoutSeconds * 1000);
  watchdog.unref();

  const m: Record<string, unknown> = machine();
  if (opts.backend === 'postgres') m.postgres = await pgVersion(opts.pgAdminUri);
  const pgTag = `${process.pid.toString(36)}_`;
  if (opts.backend === 'postgres') countPostgresBackends(`trove_bench_${pgTag}`);
  const pgDb = opts.backend === 'postgres' ? await createBenchDatabase(opts.pgAdminUri, pgTag) : undefined;
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  log(
    `Trove benchmarks — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}${m.postgres ? `, ${m.postgres}` : ''}`,
  );
  log(`command: ${command}`);
  log(
    `backend: ${opts.backend}${pgDb ? ` (database ${pgDb.name})` : ''}; runs: ${opts.runs}; points: ${opts.points}${opts.only.length ? `; only: ${opts.only.join(', ')}` : ''}\n`,
  );

  const watchLoad = startLoadWatch();
  const results: Results = {
    machine: m,
    command,
    options: { ...opts },
    startedAt: new Date().toISOString(),
    table: [],
    phaseLoad: {},
    phaseMemory: {},
  };
  /** Runs one benchmark and records how busy the rest of the machine was meanwhile. */
  const phase = async <T>(
    name: string,
    fn: () => Promise<T>,
    pids: number[] = [],
    memory?: () => Memory,
  ): Promise<T> => {
    const done = startLoadWatch(pids);
    const out = await fn();
    const l = done();
    results.phaseLoad[name] = l;
    let mem = '';
    if (memory) {
      const m = memory();
      results.phaseMemory[name] = m;
      mem = `; server VmRSS ${mib(m.rssMb)}, VmHWM ${mib(m.hwmMb)}`;
    }
    log(`  (${name}: ${shortLoad(l)}${mem})`);
    return out;
  };
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-'));
  const profileDir = join(REPO_ROOT, 'bench/results/profiles');

  try {
    if (selected('raw-sqlite-insert'))
      results.rawSqliteInsert = pgDb
        ? await phase('raw-postgres-insert', async () => [
            await rawPostgresInsert(opts.pgAdminUri, opts.pgRawRows1, 1, `${pgTag}raw_`),
            await rawPostgresInsert(opts.pgAdminUri, 1_000_000, 50, `${pgTag}raw_`),
          ])
        : await phase('raw-sqlite-insert', async () => [
            await rawSqliteInsert(dataDir, 1_000_000, 1),
            await rawSqliteInsert(dataDir, 1_000_000, 50),
          ]);

    if (pgDb && (['postgres-floor', 'ingest', 'small-log-batch'] as const).some(selected))
      results.postgresFloor = await phase('postgres-floor', () =>
        postgresFloor(opts.pgAdminUri, opts.pgFloorRows, `${pgTag}floor_`),
      );

    const trove = (['ingest', 'small-log-batch', 'search', 'history', 'rss'] as const).some(selected);
    let kind: ClientKind | undefined = opts.client;
    if (selected('http-echo') || (trove && !kind)) {
      const echo = await startEchoServer();
      try {
        if (!kind) {
          log('choosing the HTTP client (echo server):');
          const pick = await pickClient(echo.url);
          kind = pick.kind;
          results.client = { kind, trials: pick.trials };
        } else results.client = { kind };
        if (selected('http-echo')) {
          const c = createClient(kind, echo.url);
          results.httpEcho = await phase('http-echo', () => httpEcho(c), [echo.pid]);
          await c.close();
        }
      } finally {
        await echo.stop();
      }
    }

    if (trove) {
      const clientKind = kind ?? 'node:http';
      // 1. A first server creates the schema (migrations) and the default workspace, and the
      //    experiments and runs that seeding fills in; then it stops.
      const backendStoreUri = pgDb?.uri;
      const setup = await startTroveServer({ dataDir, backendStoreUri });
      const sc = createClient(clientKind, setup.url);
      const ids = {
        bench: (await callJson(sc, 'POST', `${API}/experiments/create`, { name: 'bench-ingest' }))
          .experiment_id as string,
        search: '',
        history: '',
        bigRun: '',
        smallRun: '',
      };
      if (selected('search'))
        ids.search = (
          await callJson(sc, 'POST', `${API}/experiments/create`, { name: `bench-search-${opts.runs}` })
        ).experiment_id;
      if (selected('history')) {
        ids.history = (
          await callJson(sc, 'POST', `${API}/experiments/create`, { name: 'bench-history' })
        ).experiment_id;
        ids.bigRun = (
          await callJson(sc, 'POST', `${API}/runs/create`, {
            experiment_id: ids.history,
            run_name: `history-${opts.points}`,
            start_time: Date.now(),
          })
        ).run.info.run_id;
        ids.smallRun = (
          await callJson(sc, 'POST', `${API}/runs/create`, {
            experiment_id: ids.history,
            run_name: 'history-10k',
            start_time: Date.now(),
          })
        ).run.info.run_id;
      }
      await sc.close();
      await setup.stop();

      // 2. Seed directly into the file while no server runs.
      const dbPath = join(dataDir, 'trove.db');
      const smallPoints = Math.min(10_000, opts.points);
      results.seeding = {};
      if (selected('search')) {
        results.seeding.searchRuns = pgDb
          ? await seedSearchRunsPg(pgDb.uri, Number(ids.search), opts.runs)
          : seedSearchRuns(dbPath, Number(ids.search), opts.runs);
        log(
          `seeded ${opts.runs} runs (5 params, 5 tags, 5 metrics each) in ${fmtMs(results.seeding.searchRuns.ms)}; ${results.seeding.searchRuns.matchingFilter} match the filter`,
        );
      }
      if (selected('history')) {
        const big = pgDb
          ? await seedSeriesPg(pgDb.uri, ids.bigRun, 'loss', opts.points)
          : seedSeries(dbPath, ids.bigRun, 'loss', opts.points);
        const small = pgDb
          ? await seedSeriesPg(pgDb.uri, ids.smallRun, 'loss', smallPoints)
          : seedSeries(dbPath, ids.smallRun, 'loss', smallPoints);
        results.seeding.seriesMs = { [String(opts.points)]: big.ms, [String(smallPoints)]: small.ms };
        log(
          `seeded a ${opts.points}-point series in ${fmtMs(big.ms)} and a ${smallPoints}-point series in ${fmtMs(small.ms)}`,
        );
        results.historyScanLimit = pgDb
          ? await historyScanLimitPg(pgDb.uri, big.seriesId, opts.points)
          : historyScanLimit(dbPath, big.seriesId, opts.points);
      }

      // 3. The measured server: one process for every remaining benchmark, so its memory at the
      //    end reflects all of them.
      if (opts.serverCpuProf) mkdirSync(profileDir, { recursive: true });
      const server = await startTroveServer({
        dataDir,
        backendStoreUri,
        nodeArgs: opts.serverCpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      });
      const idle = server.memory();
      log(`\nserver pid ${server.pid} at ${server.url}: idle VmRSS ${mib(idle.rssMb)}\n`);
      const client = createClient(clientKind, server.url);
      try {
        const pids = [server.pid];
        if (selected('ingest'))
          results.ingest = await phase(
            'ingest',
            () => ingest(client, ids.bench, opts.ingestSeconds * 1000),
            pids,
            server.memory,
          );
        if (selected('small-log-batch'))
          results.smallLogBatch = await phase(
            'small-log-batch',
            () => smallLogBatch(client, ids.bench),
            pids,
            server.memory,
          );
        if (selected('search'))
          results.search = await phase(
            'search',
            () => searchBench(client, ids.search, opts.runs, results.seeding?.searchRuns?.matchingFilter ?? 0),
            pids,
            server.memory,
          );
        if (selected('history')) {
          results.history = await phase(
            'history',
            () =>
              historyBench(
                client,
                { runId: ids.bigRun, points: opts.points },
                [
                  { runId: ids.bigRun, points: opts.points },
                  { runId: ids.smallRun, points: smallPoints },
                ],
                server.memory,
              ),
            pids,
            server.memory,
          );
        }
        const after = server.memory();
        results.rss = { idle, after };
        log(`rss: VmRSS ${mib(after.rssMb)} now, VmHWM ${mib(after.hwmMb)} peak (idle at start: ${mib(idle.rssMb)})`);
      } finally {
        await client.close();
        await server.stop();
      }
      if (opts.serverCpuProf) {
        const file = newestProfile(profileDir, server.pid);
        if (file) {
          results.serverCpuProfile = summarizeProfile(file);
          log(`\n${formatProfile(results.serverCpuProfile)}`);
        } else log('no server CPU profile was written');
      }
    }
  } finally {
    if (!opts.keep) {
      rmSync(dataDir, { recursive: true, force: true });
      if (pgDb) await dropBenchDatabase(opts.pgAdminUri, pgDb.name);
    } else log(`data kept in ${dataDir}${pgDb ? ` and database ${pgDb.name}` : ''}`);
  }

  results.load = watchLoad();
  results.table = table(results, opts.runs, opts.points, opts.backend);
  results.finishedAt = new Date().toISOString();
  log(`\n${formatLoad(results.load)}`);
  if (results.load.othersCpuSeconds > 0.1 * results.load.seconds * results.load.cores)
    log('WARNING: other processes used more than 10% of the machine during the run; numbers are disturbed.');
  log(`\n${markdownTable(results.table)}\n`);
  const out =
    opts.out ??
    join(REPO_ROOT, 'bench/results', opts.only.length ? `latest-${opts.only.join('-')}.json` : 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${out}`);
}

function table(r: Results, runs: number, points: number, backend: 'sqlite' | 'postgres' = 'sqlite'): Row[] {
  const raw = backend === 'postgres' ? 'raw-postgres-insert' : 'raw-sqlite-insert';
  const engine = backend === 'postgres' ? 'PostgreSQL' : 'SQLite';
  const rows: Row[] = [];
  const none = '—';
  const echoP50 = r.httpEcho ? `http-echo p50 ${fmtMs(r.httpEcho.sequential.p50)}` : none;
  const size = (n: number) =>
    n >= 1_000_000 && n % 1_000_000 === 0
      ? `${n / 1_000_000}M`
      : n >= 1000 && n % 1000 === 0
        ? `${n / 1000}k`
        : String(n);
  const rawBest = r.rawSqliteInsert?.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  for (const x of r.rawSqliteInsert ?? []) {
    rows.push({
      benchmark: `${raw}, ${x.rowsPerStatement} row${x.rowsPerStatement > 1 ? 's' : ''}/INSERT${x.rows !== 1_000_000 ? ` (${size(x.rows)} rows)` : ''} (limit)`,
      result: fmtRate(x.rowsPerSecond, 'rows/s'),
      limit: none,
      target: none,
    });
  }
  const floor = r.postgresFloor;
  if (floor) {
    rows.push({
      benchmark: 'postgres round trip, SELECT 1 p50 (limit)',
      result: fmtMs(floor.roundTrip.p50),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: 'postgres one-row INSERT + commit p50 (limit)',
      result: fmtMs(floor.commit.p50),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: `postgres COPY, ${floor.copy.rowsPerCommit} rows/commit (limit)`,
      result: fmtRate(floor.copy.rowsPerSecond, 'rows/s'),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: `postgres unnest INSERT, ${floor.unnestInsert.rowsPerCommit} rows/commit (limit)`,
      result: fmtRate(floor.unnestInsert.rowsPerSecond, 'rows/s'),
      limit: none,
      target: none,
    });
  }
  if (r.httpEcho) {
    rows.push({
      benchmark: `http-echo p50 (limit, ${r.httpEcho.client})`,
      result: fmtMs(r.httpEcho.sequential.p50),
      limit: none,
      target: none,
    });
    rows.push({
      benchmark: 'http-echo, 4 clients (limit)',
      result: fmtRate(r.httpEcho.requestsPerSecond, 'req/s'),
      limit: none,
      target: none,
    });
  }
  if (r.ingest) {
    const ofCopy = floor ? r.ingest.pointsPerSecond / floor.copy.rowsPerSecond : undefined;
    rows.push({
      benchmark: 'ingest (4 clients, 1000-point log-batch)',
      result: `${fmtRate(r.ingest.pointsPerSecond, 'points/s')}${ofCopy !== undefined ? ` (${pct(ofCopy)} of COPY)` : ''}`,
      limit: floor
        ? `COPY ${fmtRate(floor.copy.rowsPerSecond, 'rows/s')}`
        : rawBest
          ? `${raw} ${fmtRate(rawBest.rowsPerSecond, 'rows/s')}`
          : none,
      target: floor ? '≥ 300k points/s or ≥ 80% of COPY' : '≥ 300k points/s',
      met:
        (r.ingest.pointsPerSecond >= TARGETS.ingestPointsPerSecond ||
          (ofCopy !== undefined && ofCopy >= TARGETS.ingestOfCopy)) &&
        r.ingest.errors === 0,
    });
  }
  if (r.smallLogBatch) {
    const l = r.smallLogBatch.latency;
    const ofCommit = floor ? l.p50 / floor.commit.p50 : undefined;
    // An HTTP request that commits can be no faster than an HTTP echo plus a commit: shown beside the issue's target.
    const bothFloors = floor && r.httpEcho ? floor.commit.p50 + r.httpEcho.sequential.p50 : undefined;
    rows.push({
      benchmark: 'small log-batch (10 metrics + 2 params)',
      result: `p50 ${fmtMs(l.p50)} (p95 ${fmtMs(l.p95)})${ofCommit !== undefined ? `, ${ofCommit.toFixed(2)}× commit` : ''}${bothFloors !== undefined ? `, ${(l.p50 / bothFloors).toFixed(2)}× echo + commit` : ''}`,
      limit: floor
        ? `INSERT + commit p50 ${fmtMs(floor.commit.p50)}${bothFloors !== undefined ? `; + http-echo = ${fmtMs(bothFloors)}` : ''}`
        : echoP50,
      target: floor ? 'p50 ≤ 1.5× commit' : 'p50 ≤ 1 ms',
      met: ofCommit !== undefined ? ofCommit <= TARGETS.smallBatchOfCommit : l.p50 <= TARGETS.smallBatchP50Ms,
    });
  }
  if (r.search) {
    const s = r.search;
    rows.push({
      benchmark: `search-${size(runs)} (filter + order, 100 results)`,
      result: `p50 ${fmtMs(s.filtered.p50)} (p95 ${fmtMs(s.filtered.p95)})`,
      limit: echoP50,
      target: '≤ 50 ms',
      met: s.filtered.p50 <= TARGETS.searchP50Ms,
    });
    rows.push({
      benchmark: `first-page-1000 (of ${size(runs)} runs)`,
      result: `p50 ${fmtMs(s.firstPage1000.p50)}`,
      limit: echoP50,
      target: '≤ 100 ms',
      met: s.firstPage1000.p50 <= TARGETS.firstPageP50Ms,
    });
    rows.push({
      benchmark: `page ${s.deepPage.page} of 1000 via tokens`,
      result: `p50 ${fmtMs(s.deepPage.latency.p50)} (walk 1..${s.deepPage.page}: ${fmtMs(s.deepPage.walkMs)})`,
      limit: `page 1 p50 ${fmtMs(s.firstPage1000.p50)}`,
      target: none,
    });
  }
  if (r.history) {
    const h = r.history;
    const lim = r.historyScanLimit;
    rows.push({
      benchmark: `history-${size(points)} (get-history, 25k pages)`,
      result: `${fmtMs(h.full.p50Ms)} (p50 of ${h.full.runs.length})`,
      limit: lim
        ? `${engine} scan ${fmtMs(lim.engineMs)}; decode in JS ${fmtMs(lim.rowsMs)}; store reader ${fmtMs(lim.readerMs)}`
        : none,
      target: '≤ 3 s',
      met: h.full.p50Ms <= TARGETS.fullHistoryMs,
    });
    for (const s of h.sampled) {
      rows.push({
        benchmark: `sampled-320 (${size(s.series)}-point series, ${s.window ?? 'fixed'} window)`,
        result: `p50 ${fmtMs(s.latency.p50)} (p95 ${fmtMs(s.latency.p95)})`,
        limit: echoP50,
        target: '≤ 20 ms',
        met: s.latency.p50 <= TARGETS.sampledP50Ms,
      });
    }
  }
  if (r.rss) {
    rows.push({
      benchmark: 'server memory after all of the above',
      result: `VmRSS ${mib(r.rss.after.rssMb)}, peak VmHWM ${mib(r.rss.after.hwmMb)}`,
      limit: `idle server VmRSS ${mib(r.rss.idle.rssMb)}`,
      target: 'peak ≤ 300 MB',
      met: r.rss.after.hwmMb * 1.048576 <= TARGETS.rssMb,
    });
  }
  return rows;
}

process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});
process.on('exit', killAllChildren);

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
