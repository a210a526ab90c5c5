import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { LR_VALUES, lossCurveChunks, type SeededRuns } from './seed.ts';
import { rng } from './stats.ts';

/**
 * `--backend postgres`: a throwaway database per bench run (created through the admin database,
 * dropped at the end), and direct seeding of it with `pg` while no server runs. Rows follow the
 * same invariants and the same data as the SQLite seeder (bench/lib/seed.ts): same RNG seeds,
 * same draw order, so both backends hold the same runs, params, tags and points.
 */

async function admin<T>(adminUri: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUri });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function uriOf(adminUri: string, name: string): string {
  const url = new URL(adminUri);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `CREATE DATABASE trove_bench_<random>` (byte-order collation, as the tests use); returns its name and URI. */
export async function createBenchDatabase(adminUri: string, tag = ''): Promise<{ name: string; uri: string }> {
  const name = `trove_bench_${tag}${randomBytes(4).toString('hex')}`;
  await admin(adminUri, (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`),
  );
  return { name, uri: uriOf(adminUri, name) };
}

export async function dropBenchDatabase(adminUri: string, name: string): Promise<void> {
  if (!/^trove_bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin(adminUri, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function pgVersion(adminUri: string): Promise<string> {
  return admin(
    adminUri,
    async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0].v.split(' on ')[0],
  );
}

async function connect(uri: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: uri });
  c.on('error', () => {});
  await c.connect();
  // Seeding only: a crash mid-seed just means re-running the benchmark.
  await c.query('SET synchronous_commit = off');
  return c;
}

const OPTIMIZERS = ['adam', 'sgd', 'adamw', 'rmsprop'];
const BATCH_SIZES = ['32', '64', '128', '256'];
const EPOCHS = ['10', '20', '50'];
const DROPOUTS = ['0.0', '0.1', '0.2', '0.3', '0.5'];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const TEAMS = ['vision', 'nlp', 'speech', 'recsys'];

/** Rows handed to one text-format COPY (values hold no tab, newline or backslash). */
async function copyText(c: pg.Client, table: string, columns: string, rows: (string | number)[][]): Promise<void> {
  const lines = function* () {
    for (let i = 0; i < rows.length; i += 10_000)
      yield rows
        .slice(i, i + 10_000)
        .map((r) => `${r.join('\t')}\n`)
        .join('');
  };
  await pipeline(Readable.from(lines()), c.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
}

/** `n` ids of `table`'s identity column, taken from its sequence in one round trip. */
async function takeIds(c: pg.Client, table: string, n: number): Promise<number[]> {
  const rows = await c.query<{ id: string }>(
    `SELECT nextval(pg_get_serial_sequence('${table}', 'id')) AS id FROM generate_series(1, $1)`,
    [n],
  );
  return rows.rows.map((r) => Number(r.id));
}

/**
 * `n` finished runs in `experimentId`, each with 5 params, 5 tags and 5 metrics (one point each):
 * as seedSearchRuns. Written by COPY, 50k runs per transaction, ids taken from the tables'
 * sequences first (COPY returns none), so 1M runs seed in minutes.
 */
export async function seedSearchRunsPg(uri: string, experimentId: number, n: number): Promise<SeededRuns> {
  const t0 = performance.now();
  const c = await connect(uri);
  let matching = 0;
  try {
    const exp = await c.query<{ artifact_location: string }>(
      'SELECT artifact_location FROM experiments WHERE experiment_id = $1',
      [experimentId],
    );
    if (exp.rows.length === 0) throw new Error(`experiment ${experimentId} not found`);
    const root = exp.rows[0].artifact_location.replace(/\/+$/, '');
    const random = rng(42);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const base = Date.UTC(2025, 0, 1);
    const PARAM_KEYS = ['lr', 'optimizer', 'batch_size', 'epochs', 'dropout'];
    for (let from = 0; from < n; from += 50_000) {
      const to = Math.min(n, from + 50_000);
      const runIds = await takeIds(c, 'runs', to - from);
      const seriesIds = await takeIds(c, 'metric_series', (to - from) * 5);
      const runs: (string | number)[][] = [];
      const params: (string | number)[][] = [];
      const tags: (string | number)[][] = [];
      const series: (string | number)[][] = [];
      const points: (string | number)[][] = [];
      for (let i = from; i < to; i++) {
        const id = runIds[i - from];
        const uuid = randomBytes(16).toString('hex');
        const name = `bench-run-${i}`;
        const user = pick(USERS);
        const start = base + i * 1000;
        const end = start + 600_000;
        runs.push([id, uuid, experimentId, name, user, 'FINISHED', start, end, `${root}/${uuid}/artifacts`, 'active']);
        const lr = pick(LR_VALUES);
        const values = [lr, pick(OPTIMIZERS), pick(BATCH_SIZES), pick(EPOCHS), pick(DROPOUTS)];
        PARAM_KEYS.forEach((k, x) => {
          params.push([id, k, values[x], 'string']);
        });
        const team = pick(TEAMS);
        for (const [k, v] of [
          ['mlflow.runName', name],
          ['mlflow.user', user],
          ['mlflow.source.type', 'LOCAL'],
          ['mlflow.source.name', 'train.py'],
          ['team', team],
        ])
          tags.push([id, k, v]);
        const acc = random();
        if (acc > 0.5 && lr === '0.01') matching++;
        const metrics: [string, number][] = [
          ['acc', acc],
          ['loss', random() * 3],
          ['val_acc', random()],
          ['val_loss', random() * 3],
          ['f1', random()],
        ];
        metrics.forEach(([k, v], x) => {
          const sid = seriesIds[(i - from) * 5 + x];
          series.push([sid, id, k, v, 0, 100, end, v, v, 1]);
          points.push([sid, end, 100, 0, v]);
        });
      }
      await c.query('BEGIN');
      await copyText(
        c,
        'runs',
        'id, run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage',
        runs,
      );
      await copyText(c, 'params', 'run_id, key, value, value_type', params);
      await copyText(c, 'run_tags', 'run_id, key, value', tags);
      await copyText(
        c,
        'metric_series',
        'id, run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count',
        series,
      );
      await copyText(c, 'metric_points', 'series_id, timestamp, step, is_nan, value', points);
      await c.query('COMMIT');
    }
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end().catch(() => {});
  }
  return { count: n, matchingFilter: matching, ms: performance.now() - t0 };
}

/** A metric series of `points` points for an existing run: the same points as seedSeries. */
export async function seedSeriesPg(
  uri: string,
  runUuid: string,
  key: string,
  points: number,
): Promise<{ seriesId: number; ms: number }> {
  const t0 = performance.now();
  const c = await connect(uri);
  try {
    const run = await c.query<{ id: string }>('SELECT id FROM runs WHERE run_uuid = $1', [runUuid]);
    if (run.rows.length === 0) throw new Error(`run ${runUuid} not found`);
    const runId = Number(run.rows[0].id);
    const seriesId = Number(
      (
        await c.query<{ id: string }>(
          'INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count, layout) VALUES ($1, $2, 0, 0, 0, 0, NULL, NULL, 0, 1) RETURNING id',
          [runId, key],
        )
      ).rows[0].id,
    );
    const { chunks, min, max, last } = lossCurveChunks(points);
    for (let i = 0; i < chunks.length; i += 200) {
      const part = chunks.slice(i, i + 200);
      await c.query(
        `INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data, summary, summary_count, distinct_steps, distinct_steps_count)
         SELECT $1, q, n, ft, fs, lt, ls, 0, lv, d, sm, n, ds, n
         FROM unnest($2::int8[], $3::int4[], $4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::float8[], $9::bytea[], $10::bytea[], $11::int4[]) AS t(q, n, ft, fs, lt, ls, lv, d, sm, ds)`,
        [
          seriesId,
          part.map((k) => k.seq),
          part.map((k) => k.count),
          part.map((k) => k.firstTimestamp),
          part.map((k) => k.firstStep),
          part.map((k) => k.lastTimestamp),
          part.map((k) => k.lastStep),
          part.map((k) => k.lastValue),
          part.map((k) => k.data),
          part.map((k) => k.summary),
          part.map((k) => k.distinctSteps),
        ],
      );
    }
    await c.query(
      'UPDATE metric_series SET value = $1, step = $2, timestamp = $3, min_value = $4, max_value = $5, point_count = $6 WHERE id = $7',
      [last.value, last.step, last.timestamp, min, max, points, seriesId],
    );
    await c.query('VACUUM ANALYZE metric_points');
    return { seriesId, ms: performance.now() - t0 };
  } finally {
    await c.end().catch(() => {});
  }
}
