/**
 * In-process breakdown of the paths behind the targets `npm run bench` misses, using the store's
 * own exported functions on a freshly seeded file (no HTTP). Prints p50 timings; see
 * docs/benchmarks.md. Usage: `npx tsx bench/diagnose.ts [--runs 100000] [--points 1000000]`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseJson, stringifyJson } from '@trove/protocol';
import {
  createRunDataWriter,
  createSqliteMetricReader,
  loadRuns,
  type MetricPoint,
  openStore,
  searchRuns,
} from '@trove/store';
import BetterSqlite3 from 'better-sqlite3';
import { ingestBody } from './benchmarks/ingest.ts';
import { rawSqliteInsert } from './benchmarks/raw-sqlite-insert.ts';
import { FILTER } from './benchmarks/search.ts';
import { parseArgs } from './lib/args.ts';
import { formatLoad, startLoadWatch } from './lib/load.ts';
import { log } from './lib/report.ts';
import { seedSearchRuns, seedSeries } from './lib/seed.ts';
import { fmtMs, fmtRate, nowMs, summarize } from './lib/stats.ts';

const opts = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(os.tmpdir(), 'trove-diagnose-'));
const watchLoad = startLoadWatch();
log(`diagnose — ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}; p50 of 10 unless noted\n`);

async function p50(fn: () => unknown | Promise<unknown>, n = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = nowMs();
    await fn();
    samples.push(nowMs() - t0);
  }
  return summarize(samples).p50;
}

function line(label: string, value: string): void {
  log(`  ${label.padEnd(64)} ${value}`);
}

try {
  const dbPath = join(dir, 'trove.db');
  const store = await openStore(dbPath);
  const raw = store.sqlite;
  if (!raw) throw new Error('SQLite only');
  const now = Date.now();
  raw
    .prepare(
      "INSERT INTO workspaces (name, description, creation_time, default_experiment_id) VALUES ('default', NULL, ?, NULL)",
    )
    .run(now);
  const expId = Number(
    raw
      .prepare(
        "INSERT INTO experiments (workspace_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (1, 'diagnose', 'mlflow-artifacts:/1', 'active', ?, ?)",
      )
      .run(now, now).lastInsertRowid,
  );
  const newRun = () => {
    const uuid = randomBytes(16).toString('hex');
    const id = Number(
      raw
        .prepare(
          "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage) VALUES (?, ?, ?, '', 'RUNNING', ?, '', 'active')",
        )
        .run(uuid, expId, uuid.slice(0, 8), now).lastInsertRowid,
    );
    return { uuid, id };
  };

  // --- ingest -------------------------------------------------------------------------------
  log('ingest path (1000-point log-batch bodies, ~81 KiB, full-precision doubles):');
  const base = Date.UTC(2025, 0, 1);
  const bodies = Array.from({ length: 40 }, (_, r) => ingestBody('0'.repeat(32), r, base));
  let i = 0;
  const nativeMs = await p50(() => JSON.parse(bodies[i++ % bodies.length]), 40, 5);
  const troveMs = await p50(() => parseJson(bodies[i++ % bodies.length]), 40, 5);
  line('JSON.parse (native) per body', fmtMs(nativeMs));
  line('parseJson (@trove/protocol, used by the server) per body', fmtMs(troveMs));
  const writer = createRunDataWriter(store);
  const runs = [newRun(), newRun(), newRun(), newRun()];
  const toPoints = (body: string): MetricPoint[] =>
    (JSON.parse(body).metrics as { key: string; value: number; timestamp: number; step: number }[]).map((m) => ({
      key: m.key,
      value: m.value,
      isNan: 0,
      timestamp: m.timestamp,
      step: m.step,
      modelId: null,
      datasetName: null,
      datasetDigest: null,
    }));
  const batches = 300;
  const prepared = Array.from({ length: batches }, (_, r) =>
    toPoints(ingestBody('0'.repeat(32), Math.floor(r / 4), base)),
  );
  let t0 = nowMs();
  for (let r = 0; r < batches; r++)
    await writer.write(runs[r % 4].id, runs[r % 4].uuid, { params: [], metrics: prepared[r], tags: [] });
  const writerRate = ((batches * 1000) / (nowMs() - t0)) * 1000;
  line('createRunDataWriter.write, 1000 points per call (server storage path)', fmtRate(writerRate, 'points/s'));
  const lim = await rawSqliteInsert(dir, 300_000);
  line('raw insert, same DDL (metric_points PK + metric_points_by_step)', fmtRate(lim.rowsPerSecond, 'rows/s'));
  const lim50 = await rawSqliteInsert(dir, 300_000, 50);
  line('raw insert, same DDL, 50 rows per INSERT', fmtRate(lim50.rowsPerSecond, 'rows/s'));
  {
    const s2 = await openStore(join(dir, 'noindex.db'));
    s2.sqlite?.exec('DROP INDEX metric_points_by_step');
    await s2.close();
    // rawSqliteInsert opens its own fresh file; run the same loop on the index-less copy.
    const db = (await openStore(join(dir, 'noindex.db'))).sqlite as NonNullable<typeof raw>;
    const ins = db.prepare(
      'INSERT OR IGNORE INTO metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const tx = db.transaction((r: number) => {
      for (let k = 0; k < 10; k++)
        for (let j = 0; j < 100; j++)
          ins.run(
            (r % 4) * 10 + k + 1,
            base + Math.floor(r / 4) * 100 + j,
            Math.floor(r / 4) * 100 + j,
            0,
            Math.random(),
            null,
            null,
            null,
          );
    });
    t0 = nowMs();
    for (let r = 0; r < 300; r++) tx(r);
    line('raw insert without metric_points_by_step', fmtRate((300_000 / (nowMs() - t0)) * 1000, 'rows/s'));
    db.close();
  }

  // --- search -------------------------------------------------------------------------------
  await store.close();
  const seeded = seedSearchRuns(dbPath, expId, opts.runs);
  const series = seedSeries(dbPath, newRunAfterClose(dbPath, expId), 'loss', opts.points);
  const s = await openStore(dbPath);
  log(`\nsearch over ${opts.runs} runs (seeded in ${fmtMs(seeded.ms)}):`);
  const q = { experimentIds: [expId], viewType: 'ACTIVE_ONLY' as const };
  line(
    'searchRuns filtered + ordered, 100 ids',
    fmtMs(await p50(() => searchRuns(s, { ...q, filter: FILTER, orderBy: ['metrics.acc DESC'], maxResults: 100 }))),
  );
  const first = await searchRuns(s, { ...q, orderBy: [], maxResults: 1000 });
  line(
    'searchRuns default order, 1000 ids',
    fmtMs(await p50(() => searchRuns(s, { ...q, orderBy: [], maxResults: 1000 }))),
  );
  line(
    'loadRuns(1000 ids) (info, params, tags, metrics, inputs)',
    fmtMs(await p50(() => loadRuns(s.db, first.runIds))),
  );
  {
    // loadRuns runs 6 queries per 500 ids through Kysely, whose SQLite driver prepares every statement anew.
    const sqs = s.sqlite as NonNullable<typeof raw>;
    const part = first.runIds.slice(0, 500);
    const marks = part.map(() => '?').join(', ');
    const queries: [string, string][] = [
      ['runs', `SELECT * FROM runs WHERE id IN (${marks})`],
      ['params', `SELECT run_id, key, value FROM params WHERE run_id IN (${marks}) ORDER BY run_id, key`],
      ['run_tags', `SELECT run_id, key, value FROM run_tags WHERE run_id IN (${marks}) ORDER BY run_id, key`],
      [
        'metric_series',
        `SELECT run_id, key, value, is_nan, step, timestamp FROM metric_series WHERE run_id IN (${marks}) ORDER BY run_id, key`,
      ],
    ];
    for (const [name, text] of queries) {
      const prepMs = await p50(() => sqs.prepare(text));
      const stmt = sqs.prepare(text);
      const runMs = await p50(() => stmt.all(...part));
      line(
        `  500 ids: ${name}: prepare / execute`,
        `${fmtMs(prepMs)} / ${fmtMs(runMs)} (${stmt.all(...part).length} rows)`,
      );
    }
  }
  const loaded = await loadRuns(s.db, first.runIds);
  line(
    'stringifyJson({runs}) of those 1000 runs',
    `${fmtMs(await p50(() => stringifyJson({ runs: loaded })))} (${(stringifyJson({ runs: loaded }).length / 1024).toFixed(0)} KiB)`,
  );

  // --- history ------------------------------------------------------------------------------
  const sq = s.sqlite as NonNullable<typeof raw>;
  log(
    `\nhistory of a ${opts.points}-point series (one 25k page; ×${Math.ceil(opts.points / 25_000)} pages for the whole series):`,
  );
  const sid = series.seriesId;
  const cols = 'timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest';
  const order = 'ORDER BY timestamp, step, is_nan, value';
  line(
    'SQLite engine: sum(value) over the whole series in history order',
    fmtMs(
      await p50(
        () =>
          sq
            .prepare(`SELECT sum(value) FROM (SELECT value FROM metric_points WHERE series_id = ? ${order})`)
            .pluck()
            .get(sid),
        5,
        1,
      ),
    ),
  );
  const page = (suffix: string) =>
    `SELECT ${cols} FROM metric_points WHERE series_id = ? ${order} LIMIT 25000${suffix}`;
  const reader = createSqliteMetricReader(sq);
  line(
    'store reader.page(25000), as the server reads a page',
    fmtMs(await p50(() => reader.page(sid, 25_000, undefined))),
  );
  line(
    'same SELECT, row objects, safeIntegers(true)',
    fmtMs(await p50(() => sq.prepare(page('')).safeIntegers(true).all(sid))),
  );
  line('same SELECT, row objects, plain numbers', fmtMs(await p50(() => sq.prepare(page('')).all(sid))));
  line('same SELECT, row arrays (.raw())', fmtMs(await p50(() => sq.prepare(page('')).raw(true).all(sid))));
  const jsonSql = `SELECT group_concat(json_object('key', 'loss', 'value', value, 'timestamp', timestamp, 'step', step), ',') FROM (SELECT timestamp, step, value FROM metric_points WHERE series_id = ? ${order} LIMIT 25000)`;
  line(
    'page built as JSON text inside SQLite (json_object + group_concat)',
    fmtMs(await p50(() => sq.prepare(jsonSql).pluck().get(sid))),
  );
  const rows = reader.page(sid, 25_000, undefined);
  const keyJson = JSON.stringify('loss');
  line(
    'JS: pointJson-style string building for 25k rows',
    fmtMs(
      await p50(() =>
        rows
          .map(
            (p) =>
              `{"key":${keyJson},"value":${p.is_nan ? '"NaN"' : String(p.value)},"timestamp":${p.timestamp},"step":${p.step}}`,
          )
          .join(','),
      ),
    ),
  );
  log('\nsampled-320 (get-history-bulk-interval) on the same series:');
  line(
    'one statement: SELECT min(step), max(step) … WHERE series_id = ?',
    fmtMs(
      await p50(() =>
        sq.prepare('SELECT min(step) AS lo, max(step) AS hi FROM metric_points WHERE series_id = ?').get(sid),
      ),
    ),
  );
  line(
    'two subqueries (SELECT min(step) …), (SELECT max(step) …)',
    fmtMs(
      await p50(() =>
        sq
          .prepare(
            'SELECT (SELECT min(step) FROM metric_points WHERE series_id = @s) AS lo, (SELECT max(step) FROM metric_points WHERE series_id = @s) AS hi',
          )
          .get({ s: sid }),
      ),
    ),
  );
  line('reader.sampleSteps(320)', fmtMs(await p50(() => reader.sampleSteps(sid, 320))));
  const steps = reader.sampleSteps(sid, 320);
  line('reader.atSteps × 320', fmtMs(await p50(() => reader.atSteps(sid, steps))));
  await s.close();
  log(`\n${formatLoad(watchLoad())}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function newRunAfterClose(dbPath: string, experimentId: number): string {
  // seedSeries needs an existing run; add one with a plain connection (the store is closed).
  const uuid = randomBytes(16).toString('hex');
  const db = new BetterSqlite3(dbPath);
  db.prepare(
    "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage) VALUES (?, ?, 'history', '', 'RUNNING', ?, '', 'active')",
  ).run(uuid, experimentId, Date.now());
  db.close();
  return uuid;
}
