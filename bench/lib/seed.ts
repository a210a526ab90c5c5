import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { distinctStepsOf } from '../../packages/store/src/metrics/chunk-steps.ts';
import { summarizeChunk } from '../../packages/store/src/metrics/chunk-summary.ts';
import { encodeChunk } from '../../packages/store/src/metrics/point-chunk.ts';
import { rng } from './stats.ts';

/**
 * Direct seeding of a Trove SQLite file (schema created by the server's own migrations), with the
 * server stopped. Rows follow the store's invariants: every run has a `mlflow.runName` tag equal
 * to `runs.name`; each metric_series row holds the latest point, min, max and the point count of
 * its metric_points rows.
 */
export function openForSeeding(dbPath: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(dbPath);
  db.pragma('journal_mode = WAL');
  // Seeding only: a crash mid-seed just means re-running the benchmark.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  return db;
}

export const LR_VALUES = ['0.001', '0.01', '0.1'];
const OPTIMIZERS = ['adam', 'sgd', 'adamw', 'rmsprop'];
const BATCH_SIZES = ['32', '64', '128', '256'];
const EPOCHS = ['10', '20', '50'];
const DROPOUTS = ['0.0', '0.1', '0.2', '0.3', '0.5'];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const TEAMS = ['vision', 'nlp', 'speech', 'recsys'];

export interface SeededRuns {
  count: number;
  /** Runs matching `metrics.acc > 0.5 AND params.lr = '0.01'`, counted while seeding. */
  matchingFilter: number;
  ms: number;
}

/**
 * The experiment's artifact root and the statements that write a finished run with its params,
 * tags and one-point metric series (shared by the search and UI seeders).
 */
export function runStatements(db: BetterSqlite3.Database, dbPath: string, experimentId: number) {
  const exp = db
    .prepare<[number], { artifact_location: string }>(
      'SELECT artifact_location FROM experiments WHERE experiment_id = ?',
    )
    .get(experimentId);
  if (!exp) throw new Error(`experiment ${experimentId} not found in ${dbPath}`);
  const root = exp.artifact_location.replace(/\/+$/, '');
  const insertRun = db.prepare(
    "INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage, deleted_time) VALUES (?, ?, ?, ?, 'FINISHED', ?, ?, ?, 'active', NULL)",
  );
  const insertParam = db.prepare("INSERT INTO params (run_id, key, value, value_type) VALUES (?, ?, ?, 'string')");
  const insertTag = db.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
  const insertSeries = db.prepare(
    'INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count) VALUES (?, ?, ?, 0, ?, ?, ?, ?, 1)',
  );
  const insertPoint = db.prepare(
    'INSERT INTO metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest) VALUES (?, ?, ?, 0, ?, NULL, NULL, NULL)',
  );
  return { root, insertRun, insertParam, insertTag, insertSeries, insertPoint };
}

/** `n` finished runs in `experimentId`, each with 5 params, 5 tags and 5 metrics (one point each). */
export function seedSearchRuns(dbPath: string, experimentId: number, n: number): SeededRuns {
  const t0 = performance.now();
  const db = openForSeeding(dbPath);
  const { root, insertRun, insertParam, insertTag, insertSeries, insertPoint } = runStatements(
    db,
    dbPath,
    experimentId,
  );
  const random = rng(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const base = Date.UTC(2025, 0, 1);
  let matching = 0;
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const uuid = randomBytes(16).toString('hex');
      const name = `bench-run-${i}`;
      const user = pick(USERS);
      const start = base + i * 1000;
      const end = start + 600_000;
      const runId = Number(
        insertRun.run(uuid, experimentId, name, user, start, end, `${root}/${uuid}/artifacts`).lastInsertRowid,
      );
      const lr = pick(LR_VALUES);
      insertParam.run(runId, 'lr', lr);
      insertParam.run(runId, 'optimizer', pick(OPTIMIZERS));
      insertParam.run(runId, 'batch_size', pick(BATCH_SIZES));
      insertParam.run(runId, 'epochs', pick(EPOCHS));
      insertParam.run(runId, 'dropout', pick(DROPOUTS));
      insertTag.run(runId, 'mlflow.runName', name);
      insertTag.run(runId, 'mlflow.user', user);
      insertTag.run(runId, 'mlflow.source.type', 'LOCAL');
      insertTag.run(runId, 'mlflow.source.name', 'train.py');
      insertTag.run(runId, 'team', pick(TEAMS));
      const acc = random();
      if (acc > 0.5 && lr === '0.01') matching++;
      const metrics: [string, number][] = [
        ['acc', acc],
        ['loss', random() * 3],
        ['val_acc', random()],
        ['val_loss', random() * 3],
        ['f1', random()],
      ];
      const step = 100;
      const ts = end;
      for (const [key, value] of metrics) {
        const seriesId = Number(insertSeries.run(runId, key, value, step, ts, value, value).lastInsertRowid);
        insertPoint.run(seriesId, ts, step, value);
      }
    }
  });
  for (let i = 0; i < n; i += 5000) batch(i, Math.min(n, i + 5000));
  db.close();
  return { count: n, matchingFilter: matching, ms: performance.now() - t0 };
}

export interface CurveChunk {
  seq: number;
  count: number;
  firstTimestamp: number;
  firstStep: number;
  lastTimestamp: number;
  lastStep: number;
  lastValue: number;
  data: Buffer;
  /** The chunk's summary, computed by the store's own function (migration 0008). */
  summary: Buffer;
  /** Its distinct steps, counted by the store's own function (migration 0012), as the writers store them. */
  distinctSteps: number;
}

/**
 * The bench's loss curve (steps 0..points-1, timestamps 1 ms apart, a decaying curve with noise)
 * as 256-point chunks with their summaries, the way the server stores a series logged in order,
 * with its min, max and last point. Shared by the SQLite and PostgreSQL seeders, so both hold the same points.
 */
export function lossCurveChunks(points: number): {
  chunks: CurveChunk[];
  min: number;
  max: number;
  last: { value: number; step: number; timestamp: number };
} {
  const random = rng(7);
  const base = Date.UTC(2025, 0, 1);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let last = { value: 0, step: 0, timestamp: 0 };
  const chunks: CurveChunk[] = [];
  for (let start = 0; start < points; start += 256) {
    const steps: number[] = [];
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let step = start; step < Math.min(points, start + 256); step++) {
      const value = 2 * Math.exp((-3 * step) / points) + 0.05 * random();
      steps.push(step);
      timestamps.push(base + step);
      values.push(value);
      if (value < min) min = value;
      if (value > max) max = value;
      last = { value, step, timestamp: base + step };
    }
    const data = encodeChunk({ steps, timestamps, values, isNan: values.map(() => 0 as const) });
    chunks.push({
      seq: chunks.length,
      count: steps.length,
      firstTimestamp: timestamps[0],
      firstStep: steps[0],
      lastTimestamp: last.timestamp,
      lastStep: last.step,
      lastValue: last.value,
      data,
      summary: summarizeChunk(data, steps.length),
      distinctSteps: distinctStepsOf(data, steps.length),
    });
  }
  return { chunks, min, max, last };
}

/**
 * A metric series of `points` points for an existing run: steps 0..points-1, one point per step,
 * timestamps 1 ms apart, a decaying loss curve with noise. Stored as the server stores a series
 * logged in order 1000 points per request (MLflow's log-batch limit): chunks of 256 points.
 */
export function seedSeries(
  dbPath: string,
  runUuid: string,
  key: string,
  points: number,
): { seriesId: number; ms: number } {
  const t0 = performance.now();
  const db = openForSeeding(dbPath);
  const run = db.prepare<[string], { id: number }>('SELECT id FROM runs WHERE run_uuid = ?').get(runUuid);
  if (!run) throw new Error(`run ${runUuid} not found`);
  const seriesId = Number(
    db
      .prepare(
        'INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count, layout) VALUES (?, ?, 0, 0, 0, 0, NULL, NULL, 0, 1)',
      )
      .run(run.id, key).lastInsertRowid,
  );
  const insertChunk = db.prepare(
    `INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data, summary, summary_count, distinct_steps, distinct_steps_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
  );
  const { chunks, min, max, last } = lossCurveChunks(points);
  db.transaction(() => {
    for (const c of chunks)
      insertChunk.run(
        seriesId,
        c.seq,
        c.count,
        c.firstTimestamp,
        c.firstStep,
        c.lastTimestamp,
        c.lastStep,
        c.lastValue,
        c.data,
        c.summary,
        c.count,
        c.distinctSteps,
        c.count,
      );
  })();
  db.prepare(
    'UPDATE metric_series SET value = ?, step = ?, timestamp = ?, min_value = ?, max_value = ?, point_count = ? WHERE id = ?',
  ).run(last.value, last.step, last.timestamp, min, max, points, seriesId);
  db.close();
  return { seriesId, ms: performance.now() - t0 };
}
