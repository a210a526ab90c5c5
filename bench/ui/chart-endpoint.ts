/**
 * `npx tsx bench/ui/chart-endpoint.ts --data <dir> [--runs 100 --steps 100000 --points 1000 --reps 5 --start S --end E]
 * [--backend sqlite|postgres --pg-admin-uri URI --keep]` (`--help` for the options):
 * the overlaid-chart read of C runs × S-step `loss`, timed with curl against a real `trove server`:
 * Trove's chart endpoint (`/api/trove/v1/metrics/chart`, what the UI calls) against MLflow's
 * `get-history-bulk-interval` (what it called before). Prints the median of `reps` timed requests
 * (after one warm-up each) and the response size. `--start`/`--end` ask for a step range (a zoom).
 *
 * `<dir>` holding `bench-ui-seed.json` (a `bench:ui --data` directory, or a copy of its trove.db):
 * its curve runs are used as they are. Otherwise the script seeds `<dir>` first: a fresh database,
 * one experiment, `runs` runs, each with a `loss` series written by `seedSeries` (chunks with their
 * summaries), and keeps it in `<dir>/bench-chart-seed.json` for the next run.
 *
 * `--backend postgres`: the metadata store is a fresh database `trove_bench_chart_<random>` created
 * through `--pg-admin-uri` (default $TROVE_BENCH_PG_URI or postgresql://postgres@127.0.0.1:5432/test),
 * seeded every time with the same points (`seedSeriesPg`) and dropped at the end unless `--keep`.
 * `<dir>` then only holds the artifacts root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API, callJson, createClient, createRuns } from '../lib/client.ts';
import { createBenchDatabase, dropBenchDatabase, pgVersion, seedSeriesPg } from '../lib/postgres.ts';
import { seedSeries } from '../lib/seed.ts';
import { startTroveServer } from '../lib/server.ts';

const argText = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const arg = (name: string, fallback: number) => Number(argText(name) ?? fallback);
const USAGE = `usage: npx tsx bench/ui/chart-endpoint.ts --data <dir> [options]
  --data <dir>            data directory (SQLite: trove.db and its seed, reused when present)
  --runs <n>              runs seeded (default 100)
  --steps <n>             steps of each run's 'loss' series (default 100000)
  --points <n>            points per run asked for (default 1000)
  --reps <n>              timed requests per endpoint after one warm-up (default 5; the median is printed)
  --start <s> --end <e>   a step range (a zoom)
  --only <endpoint>       time only chart or get-history-bulk-interval (default both)
  --backend sqlite|postgres  metadata store (default sqlite); postgres seeds a fresh database
                          trove_bench_chart_<random> through --pg-admin-uri and drops it at the end
  --pg-admin-uri <uri>    admin database for --backend postgres (default $TROVE_BENCH_PG_URI or
                          postgresql://postgres@127.0.0.1:5432/test)
  --keep                  postgres: keep the database (its URI is printed)`;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const dataDir = argText('data');
if (!dataDir) throw new Error(`--data <dir> is required\n${USAGE}`);
const backend = argText('backend') ?? 'sqlite';
if (backend !== 'sqlite' && backend !== 'postgres')
  throw new Error(`--backend must be sqlite or postgres, got ${backend}`);
const pgAdminUri =
  argText('pg-admin-uri') ?? process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test';
const opts = {
  runs: arg('runs', 100),
  steps: arg('steps', 100_000),
  points: arg('points', 1000),
  reps: arg('reps', 5),
};
const log = (s: string) => console.log(`[chart-endpoint] ${s}`);

/** Creates the runs through a first server, then writes their series directly while no server runs. */
async function seed(dir: string, backendStoreUri?: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const setup = await startTroveServer({ dataDir: dir, backendStoreUri });
  const client = createClient('node:http', setup.url);
  const exp = (await callJson(client, 'POST', `${API}/experiments/create`, { name: 'chart-bench' }))
    .experiment_id as string;
  const runs = await createRuns(client, exp, opts.runs, 'curve');
  await client.close();
  await setup.stop();
  let ms = 0;
  for (const id of runs)
    ms += backendStoreUri
      ? (await seedSeriesPg(backendStoreUri, id, 'loss', opts.steps)).ms
      : seedSeries(join(dir, 'trove.db'), id, 'loss', opts.steps).ms;
  log(`seeded ${opts.runs} × ${opts.steps}-step 'loss' series in ${(ms / 1000).toFixed(1)} s`);
  return runs;
}

/** curl's total time (ms) and downloaded bytes for one GET. */
function curl(url: string): { ms: number; bytes: number } {
  const out = execFileSync(
    'curl',
    ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total} %{size_download}', url],
    { encoding: 'utf8' },
  );
  const [status, seconds, bytes] = out.trim().split(' ');
  if (status !== '200') throw new Error(`${url.slice(0, 120)}… answered ${status}`);
  return { ms: Number(seconds) * 1000, bytes: Number(bytes) };
}

async function main() {
  const dir = dataDir as string;
  if (backend === 'postgres') {
    const pgDb = await createBenchDatabase(pgAdminUri, 'chart_');
    log(`backend postgres: ${await pgVersion(pgAdminUri)}, database ${pgDb.name}`);
    try {
      await measure(dir, await seed(dir, pgDb.uri), pgDb.uri);
    } finally {
      if (process.argv.includes('--keep')) log(`kept ${pgDb.uri}`);
      else await dropBenchDatabase(pgAdminUri, pgDb.name);
    }
    return;
  }
  const uiSeed = join(dir, 'bench-ui-seed.json');
  const chartSeed = join(dir, 'bench-chart-seed.json');
  let runs: string[];
  if (existsSync(uiSeed)) runs = JSON.parse(readFileSync(uiSeed, 'utf8')).curveRuns;
  else if (existsSync(chartSeed)) runs = JSON.parse(readFileSync(chartSeed, 'utf8')).runs;
  else {
    runs = await seed(dir);
    writeFileSync(chartSeed, JSON.stringify({ runs, steps: opts.steps }));
  }
  await measure(dir, runs);
}

async function measure(dir: string, runs: string[], backendStoreUri?: string) {
  const server = await startTroveServer({ dataDir: dir, backendStoreUri });
  try {
    const range = argText('start') === undefined ? '' : `&start_step=${argText('start')}&end_step=${argText('end')}`;
    const ids = runs.map((id) => `run_ids=${id}`).join('&') + range;
    const urls = {
      chart: `${server.url}/api/trove/v1/metrics/chart?metric_key=loss&points=${opts.points}&${ids}`,
      'get-history-bulk-interval': `${server.url}/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?metric_key=loss&max_results=${opts.points}&${ids}`,
    };
    const only = argText('only');
    if (only !== undefined && !(only in urls))
      throw new Error(`--only must be one of ${Object.keys(urls).join(', ')}, got ${only}`);
    for (const [name, url] of Object.entries(urls)) {
      if (only !== undefined && name !== only) continue;
      curl(url);
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < opts.reps; i++) {
        const r = curl(url);
        times.push(r.ms);
        bytes = r.bytes;
      }
      times.sort((a, b) => a - b);
      log(
        `${name}: median ${times[times.length >> 1].toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}), ${(bytes / 1e6).toFixed(2)} MB, ${runs.length} runs`,
      );
    }
  } finally {
    await server.stop();
  }
}

await main();
