import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openStore } from '@trove/store';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createBenchDatabase, dropBenchDatabase } from '../lib/postgres.ts';
import { log } from '../lib/report.ts';
import { fmtMs, fmtRate, measureLatency, nowMs, type Summary, summarize } from '../lib/stats.ts';

/** What PostgreSQL itself does on this machine over the same `pg` driver, to set Trove's numbers against. */
export interface PostgresFloor {
  /** `SELECT 1`: one network round trip, no write. */
  roundTrip: Summary;
  /** One-row `INSERT` into metric_points in autocommit: one round trip plus one commit (WAL fsync). */
  commit: Summary;
  /** `COPY … FROM STDIN` into metric_points, `rowsPerCommit` rows per COPY, each its own transaction. */
  copy: Throughput;
  /** A prepared `INSERT … SELECT FROM unnest($1…) ON CONFLICT DO NOTHING`, as Trove's writers bind arrays. */
  unnestInsert: Throughput;
}

export interface Throughput {
  rows: number;
  rowsPerCommit: number;
  ms: number;
  rowsPerSecond: number;
}

const ROWS_PER_COMMIT = 1000;
const SERIES = 40;

/** Row `i` of the floor load: 40 series written in turn, 25 steps per series per 1000-row commit (ingest's shape). */
function point(i: number, base: number): [number, number, number, number, number] {
  const commit = Math.floor(i / ROWS_PER_COMMIT);
  const j = i % ROWS_PER_COMMIT;
  const series = (j % SERIES) + 1;
  const step = commit * (ROWS_PER_COMMIT / SERIES) + Math.floor(j / SERIES);
  return [series, base + step, step, 0, Math.random()];
}

/**
 * A fresh database migrated by the store's own `openStore` (so the metric_points table and its
 * indexes are Trove's), then on one connection with PostgreSQL's default durability
 * (synchronous_commit on): round trip and commit latency, then `rows` points by COPY and by
 * unnest arrays, 1000 per transaction. No HTTP, JSON, validation or series upkeep.
 */
export async function postgresFloor(adminUri: string, rows: number, tag: string): Promise<PostgresFloor> {
  const { name, uri } = await createBenchDatabase(adminUri, tag);
  try {
    const store = await openStore(uri, { poolSize: 1 });
    await store.close();
    const c = new pg.Client({ connectionString: uri });
    c.on('error', () => {});
    await c.connect();
    try {
      const budget = { warmup: 100, n: 2000, budgetMs: 20_000 };
      const roundTrip = summarize((await measureLatency(() => c.query('SELECT 1'), budget)).samples);
      const base = Date.UTC(2025, 0, 1);
      // Series 1000+ never collide with the COPY and unnest rows below.
      const commit = summarize(
        (
          await measureLatency(
            (i) =>
              c.query({
                name: 'floor_commit',
                text: 'INSERT INTO metric_points (series_id, timestamp, step, is_nan, value) VALUES ($1, $2, $3, 0, $4)',
                values: [1000 + (i < 0 ? 1 : 0), base + i + 1000, i + 1000, Math.random()],
              }),
            budget,
          )
        ).samples,
      );
      const copy = await throughput(rows, async (from, to) => {
        const lines: string[] = [];
        for (let i = from; i < to; i++) lines.push(`${point(i, base).join('\t')}\t\\N\t\\N\t\\N\n`);
        await pipeline(
          Readable.from([lines.join('')]),
          c.query(
            copyFrom(
              'COPY metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest) FROM STDIN',
            ),
          ),
        );
      });
      // The same points again into fresh series ids (+100): unnest must insert, not skip duplicates.
      const unnestInsert = await throughput(rows, async (from, to) => {
        const cols: number[][] = [[], [], [], [], []];
        for (let i = from; i < to; i++) {
          const p = point(i, base);
          p[0] += 100;
          for (let k = 0; k < 5; k++) cols[k].push(p[k]);
        }
        await c.query({
          name: 'floor_unnest',
          text: `INSERT INTO metric_points (series_id, timestamp, step, is_nan, value)
            SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int4[], $5::float8[]) ON CONFLICT DO NOTHING`,
          values: cols,
        });
      });
      const count = Number(
        (await c.query<{ n: string }>('SELECT count(*) AS n FROM metric_points WHERE series_id < 1000')).rows[0].n,
      );
      if (count !== 2 * rows) throw new Error(`postgres-floor stored ${count} rows, expected ${2 * rows}`);
      const floor = { roundTrip, commit, copy, unnestInsert };
      log(
        `postgres-floor: round trip p50 ${fmtMs(roundTrip.p50)}, one-row insert + commit p50 ${fmtMs(commit.p50)}; ${rows} rows, ${ROWS_PER_COMMIT} per commit: COPY ${fmtRate(copy.rowsPerSecond, 'rows/s')}, unnest INSERT ${fmtRate(unnestInsert.rowsPerSecond, 'rows/s')}`,
      );
      return floor;
    } finally {
      await c.end().catch(() => {});
    }
  } finally {
    await dropBenchDatabase(adminUri, name);
  }
}

/** Writes rows [0, rows) in autocommit statements of ROWS_PER_COMMIT. */
async function throughput(rows: number, write: (from: number, to: number) => Promise<void>): Promise<Throughput> {
  if (rows % ROWS_PER_COMMIT !== 0) throw new Error(`rows must be a multiple of ${ROWS_PER_COMMIT}`);
  const t0 = nowMs();
  for (let from = 0; from < rows; from += ROWS_PER_COMMIT) await write(from, from + ROWS_PER_COMMIT);
  const ms = nowMs() - t0;
  return { rows, rowsPerCommit: ROWS_PER_COMMIT, ms, rowsPerSecond: (rows / ms) * 1000 };
}
