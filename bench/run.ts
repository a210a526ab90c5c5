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
import { historyBench, historyScanLimit } from './benchmarks/history.ts';
import { historyScanLimitPg } from './benchmarks/history-postgres.ts';
import { httpEcho, pickClient } from './benchmarks/http-echo.ts';
import { ingest } from './benchmarks/ingest.ts';
import { postgresFloor } from './benchmarks/postgres-floor.ts';
import { rawPostgresInsert } from './benchmarks/raw-postgres-insert.ts';
import { rawSqliteInsert } from './benchmarks/raw-sqlite-insert.ts';
import { searchBench } from './benchmarks/search.ts';
import { smallLogBatch } from './benchmarks/small-log-batch.ts';
import { type BenchName, parseArgs, USAGE } from './lib/args.ts';
import { API, type ClientKind, callJson, createClient } from './lib/client.ts';
import { countPostgresBackends, formatLoad, shortLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase, pgVersion, seedSearchRunsPg, seedSeriesPg } from './lib/postgres.ts';
import { formatProfile, newestProfile, summarizeProfile } from './lib/profile.ts';
import { log, markdownTable } from './lib/report.ts';
import { mib, type Results, table } from './lib/results-table.ts';
import { seedSearchRuns, seedSeries } from './lib/seed.ts';
import { killAllChildren, type Memory, REPO_ROOT, startEchoServer, startTroveServer } from './lib/server.ts';
import { fmtMs } from './lib/stats.ts';

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
