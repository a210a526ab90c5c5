/**
 * `npm run bench:points-capacity`: how the metric tables behave as they grow toward a billion
 * points on PostgreSQL. Seeds `--experiments` experiments of runs whose series hold `--points`
 * points each in the chunked layout Trove writes for in-order series (`metric_chunks`, 256-point
 * chunks: packages/store/src/metrics/chunk-plan.ts), plus a row-layout sample (`metric_points`,
 * what out-of-order series use) and search-style runs (params, tags, latest metrics); measures
 * bytes per point and per run (heap, TOAST, each index), then the cost of retention: `trove gc`
 * of one deleted experiment and the VACUUM after it. docs/deployment.md extrapolates to 1B.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BENCH_OPTIONS, exitOnHelp, startBench } from './lib/bench-cli.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { createBenchDatabase, dropBenchDatabase, pgVersion, seedSearchRunsPg } from './lib/postgres.ts';
import { log } from './lib/report.ts';
import { lossCurveChunks } from './lib/seed.ts';
import { killAllChildren, REPO_ROOT, startTroveServer } from './lib/server.ts';
import { fmtMs } from './lib/stats.ts';

const USAGE = `usage: npm run bench:points-capacity -- [options]   (PostgreSQL)
  --experiments <n>   experiments of chunked series (default 10)
  --runs <n>          runs per experiment (default 5)
  --keys <n>          series per run (default 10)
  --points <n>        points per series (default 100000: 10 × 5 × 10 × 100k = 50M points)
  --row-points <n>    points in the row-layout sample (default 2000000)
  --search-runs <n>   search-style runs for bytes per run (default 20000)
  --pg-admin-uri <uri>  (default $TROVE_BENCH_PG_URI or postgresql://postgres@127.0.0.1:5432/test)
  --keep              keep the database (its name is printed)`;

const { values: a } = parseArgs({
  options: {
    ...BENCH_OPTIONS,
    experiments: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    keys: { type: 'string', default: '10' },
    points: { type: 'string', default: '100000' },
    'row-points': { type: 'string', default: '2000000' },
    'search-runs': { type: 'string', default: '20000' },
    keep: { type: 'boolean', default: false },
  },
});
exitOnHelp(a, USAGE);
const int = (s: string) => Number(s.replaceAll('_', ''));
const experiments = int(a.experiments);
const runsPer = int(a.runs);
const keys = int(a.keys);
const points = int(a.points);
const rowPoints = int(a['row-points']);
const searchRuns = int(a['search-runs']);

const MiB = 1024 * 1024;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

interface TableSize {
  table: string;
  heap: number;
  toast: number;
  indexes: Record<string, number>;
  total: number;
}

async function sizeOf(c: pg.Client, table: string): Promise<TableSize> {
  const r = await c.query<{ heap: string; total: string; idx: string; toast: string }>(
    `SELECT pg_relation_size($1::regclass) AS heap, pg_total_relation_size($1::regclass) AS total,
            pg_indexes_size($1::regclass) AS idx,
            COALESCE(pg_total_relation_size(NULLIF(reltoastrelid, 0)), 0) AS toast
       FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  const idx = await c.query<{ name: string; size: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS size FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`,
    [table],
  );
  return {
    table,
    heap: Number(r.rows[0].heap),
    toast: Number(r.rows[0].toast),
    indexes: Object.fromEntries(idx.rows.map((x) => [x.name, Number(x.size)])),
    total: Number(r.rows[0].total),
  };
}

function describe(s: TableSize, per: number, unit: string): string {
  const b = (n: number) => `${(n / per).toFixed(2)} B/${unit}`;
  const idx = Object.entries(s.indexes)
    .map(([k, v]) => `${k} ${b(v)}`)
    .join(', ');
  return `${s.table}: total ${(s.total / MiB).toFixed(0)} MiB = ${b(s.total)} (heap ${b(s.heap)}, TOAST ${b(s.toast)}; indexes ${idx})`;
}

async function main(): Promise<void> {
  startBench('points-capacity', Number(a.timeout));
  const admin = a['pg-admin-uri'];
  log(`${await pgVersion(admin)}`);
  const db = await createBenchDatabase(admin, 'cap_');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-capacity-'));
  const c = new pg.Client({ connectionString: db.uri });
  await c.connect();
  try {
    // The schema and the experiments and runs, through the real server.
    const server = await startTroveServer({ dataDir, backendStoreUri: db.uri });
    const http = createClient('node:http', server.url);
    const runIds: number[][] = [];
    for (let e = 0; e < experiments; e++) {
      const id = (await callJson(http, 'POST', `${API}/experiments/create`, { name: `capacity-${e}` }))
        .experiment_id as string;
      const uuids: string[] = [];
      for (let r = 0; r < runsPer; r++)
        uuids.push((await callJson(http, 'POST', `${API}/runs/create`, { experiment_id: id })).run.info.run_id);
      const rows = await c.query<{ id: string }>('SELECT id FROM runs WHERE run_uuid = ANY($1) ORDER BY id', [uuids]);
      runIds.push(rows.rows.map((x) => Number(x.id)));
    }
    const searchExperiment = (await callJson(http, 'POST', `${API}/experiments/create`, { name: 'capacity-search' }))
      .experiment_id as string;
    await http.close();
    await server.stop();

    await c.query('SET synchronous_commit = off');
    const curve = lossCurveChunks(points);
    const chunksPerSeries = curve.chunks.length;
    const totalPoints = experiments * runsPer * keys * points;
    log(
      `seeding ${totalPoints.toLocaleString('en')} points: ${experiments} experiments × ${runsPer} runs × ${keys} series × ${points.toLocaleString('en')} points, ${chunksPerSeries} chunks per series`,
    );
    const seed = await timed(async () => {
      for (const runs of runIds)
        for (const runId of runs)
          for (let k = 0; k < keys; k++) {
            const sid = Number(
              (
                await c.query<{ id: string }>(
                  `INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count, layout)
                   VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, 1) RETURNING id`,
                  [
                    runId,
                    `m${k}`,
                    curve.last.value,
                    curve.last.step,
                    curve.last.timestamp,
                    curve.min,
                    curve.max,
                    points,
                  ],
                )
              ).rows[0].id,
            );
            for (let i = 0; i < curve.chunks.length; i += 500) {
              const part = curve.chunks.slice(i, i + 500);
              await c.query(
                `INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data, summary, summary_count, distinct_steps, distinct_steps_count)
                 SELECT $1, q, n, ft, fs, lt, ls, 0, lv, d, sm, n, ds, n
                 FROM unnest($2::int8[], $3::int4[], $4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::float8[], $9::bytea[], $10::bytea[], $11::int4[]) AS t(q, n, ft, fs, lt, ls, lv, d, sm, ds)`,
                [
                  sid,
                  part.map((x) => x.seq),
                  part.map((x) => x.count),
                  part.map((x) => x.firstTimestamp),
                  part.map((x) => x.firstStep),
                  part.map((x) => x.lastTimestamp),
                  part.map((x) => x.lastStep),
                  part.map((x) => x.lastValue),
                  part.map((x) => x.data),
                  part.map((x) => x.summary),
                  part.map((x) => x.distinctSteps),
                ],
              );
            }
          }
    });
    log(`  seeded in ${fmtMs(seed.ms)}`);

    // Row layout: one run's series of `rowPoints` points written as rows.
    const rowRun = runIds[0][0];
    const rowSeries = Number(
      (
        await c.query<{ id: string }>(
          `INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count, layout)
           VALUES ($1, 'rows', 0, 0, $2, $2, 0, 1, $2, 0) RETURNING id`,
          [rowRun, rowPoints],
        )
      ).rows[0].id,
    );
    await c.query(
      `INSERT INTO metric_points (series_id, timestamp, step, is_nan, value)
       SELECT $1, 1735689600000 + s, s, 0, random() FROM generate_series(1, $2::int) s`,
      [rowSeries, rowPoints],
    );

    const vacuumFresh = await timed(() => c.query('VACUUM ANALYZE metric_chunks'));
    await c.query('VACUUM ANALYZE metric_points');
    const chunks = await sizeOf(c, 'metric_chunks');
    const rows = await sizeOf(c, 'metric_points');
    const chunkRows = Number((await c.query('SELECT count(*) AS n FROM metric_chunks')).rows[0].n);
    log(
      `\nbytes per point (${totalPoints.toLocaleString('en')} chunked points in ${chunkRows.toLocaleString('en')} rows):`,
    );
    log(`  ${describe(chunks, totalPoints, 'point')}`);
    log(`  row layout, ${rowPoints.toLocaleString('en')} points: ${describe(rows, rowPoints, 'point')}`);
    log(`  VACUUM ANALYZE metric_chunks right after seeding (sets the visibility map): ${fmtMs(vacuumFresh.ms)}`);

    // Bytes per run: search-style runs (5 params, 5 tags, 5 single-point metrics).
    const dbBefore = Number((await c.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    const seeded = await seedSearchRunsPg(db.uri, Number(searchExperiment), searchRuns);
    await c.query('VACUUM ANALYZE');
    const dbAfter = Number((await c.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    log(
      `  runs: ${searchRuns} search-style runs (5 params, 5 tags, 5 one-point metrics) added ${((dbAfter - dbBefore) / MiB).toFixed(0)} MiB = ${((dbAfter - dbBefore) / searchRuns).toFixed(0)} B/run (seeded in ${fmtMs(seeded.ms)})`,
    );

    // Retention: delete an experiment the way an operator does (soft delete, then `trove gc`).
    const gcExperiment = async (name: string) => {
      const id = (await c.query<{ id: string }>('SELECT experiment_id AS id FROM experiments WHERE name = $1', [name]))
        .rows[0].id;
      await c.query("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = 0 WHERE experiment_id = $1", [id]);
      await c.query(
        "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = 0 WHERE experiment_id = $1",
        [id],
      );
      const cli = join(REPO_ROOT, 'packages/cli/bin/trove.js');
      const args = ['gc', '--backend-store-uri', db.uri, '--artifacts-destination', join(dataDir, 'artifacts')];
      return (await timed(async () => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' }))).ms;
    };
    const deadRows = async (table: string) =>
      (await c.query<{ n: string }>('SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = $1', [table]))
        .rows[0].n;
    const chunkedOnly = runsPer * keys * points;
    const gcChunks = await gcExperiment('capacity-1');
    log(
      `\nretention: trove gc of experiment capacity-1 (${runsPer} runs, ${chunkedOnly.toLocaleString('en')} chunked points): ${fmtMs(gcChunks)}, CLI start included`,
    );
    const deadChunks = await deadRows('metric_chunks');
    const vacuumAfter = await timed(() => c.query('VACUUM metric_chunks'));
    const vacuumIdle = await timed(() => c.query('VACUUM metric_chunks'));
    const after = await sizeOf(c, 'metric_chunks');
    log(
      `  VACUUM metric_chunks after it (${deadChunks} dead rows): ${fmtMs(vacuumAfter.ms)}; again with nothing to do: ${fmtMs(vacuumIdle.ms)}; size after ${(after.total / MiB).toFixed(0)} MiB (before ${(chunks.total / MiB).toFixed(0)} MiB: the space is reused, not returned)`,
    );
    const gcRows = await gcExperiment('capacity-0');
    log(
      `  trove gc of capacity-0 (${chunkedOnly.toLocaleString('en')} chunked points + the ${rowPoints.toLocaleString('en')}-point row series): ${fmtMs(gcRows)}`,
    );
    const deadPoints = await deadRows('metric_points');
    const vacuumRows = await timed(() => c.query('VACUUM metric_points'));
    log(`  VACUUM metric_points after it (${deadPoints} dead rows): ${fmtMs(vacuumRows.ms)}`);
    const freshIndex = await timed(() => c.query('REINDEX TABLE metric_chunks'));
    log(`  REINDEX TABLE metric_chunks (for scale; what an index build at this size costs): ${fmtMs(freshIndex.ms)}`);
    log(
      `  database size now: ${(Number((await c.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n) / MiB).toFixed(0)} MiB`,
    );
  } finally {
    await c.end().catch(() => {});
    killAllChildren();
    if (a.keep) log(`kept database ${db.name}`);
    else await dropBenchDatabase(admin, db.name).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
