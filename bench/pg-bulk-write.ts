/**
 * Issue 16 item 3: large metric writes on PostgreSQL through the array-bound statements (A) or
 * binary COPY into staging tables and metric_chunks (B), at store level (no HTTP), both writers in
 * one process on one database, interleaved A B B A per round so load drift hits both alike.
 *
 *   npx tsx bench/pg-bulk-write.ts [--rounds 12] [--shapes 'chunked 10k,chunks 100k'] [--pg-admin-uri …]
 *
 * Shapes, each appended round after round to one run per writer (so chunked series rewrite their
 * tails and add chunks as ingest does): chunked 1k, 4k, 10k, 25k (10 keys × 100, 400, 1000, 2500
 * steps in order), rows 1k and rows 10k (the same with a dataset name, which keeps points in rows,
 * through INSERT … ON CONFLICT DO NOTHING), and a chunk write of 100k points of one key (391 new chunks).
 * At the end both writers' runs must hold the same series (count, min, max, latest) and the
 * same number of stored points, and a resent rows batch must change nothing.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { insertExperiment, insertRun, type MetricPoint, openStore, type RunDataWriter } from '@trove/store';
import { createPostgresRunDataWriter } from '../packages/store/src/postgres-run-data-writer.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { nowMs, percentile } from './lib/stats.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const rounds = Number(arg('--rounds', '12'));
const adminUri = arg('--pg-admin-uri', process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test');

interface Shape {
  name: string;
  keys: number;
  steps: number;
  dataset: boolean;
}
const ALL_SHAPES: Shape[] = [
  { name: 'chunked 1k', keys: 10, steps: 100, dataset: false },
  { name: 'chunked 4k', keys: 10, steps: 400, dataset: false },
  { name: 'chunked 10k', keys: 10, steps: 1000, dataset: false },
  { name: 'chunked 25k', keys: 10, steps: 2500, dataset: false },
  { name: 'rows 1k', keys: 10, steps: 100, dataset: true },
  { name: 'rows 10k', keys: 10, steps: 1000, dataset: true },
  { name: 'chunks 100k', keys: 1, steps: 100_000, dataset: false },
];

const only = arg('--shapes', '');
const SHAPES = only ? ALL_SHAPES.filter((s) => only.split(',').includes(s.name)) : ALL_SHAPES;

function batchOf(shape: Shape, round: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  const base = Date.UTC(2025, 0, 1);
  for (let k = 0; k < shape.keys; k++)
    for (let s = 0; s < shape.steps; s++) {
      const step = round * shape.steps + s;
      points.push({
        key: `m${k}`,
        value: Math.sin(step / 100 + k) + (step % 7) / 10,
        isNan: 0,
        timestamp: base + step * 10,
        step,
        modelId: null,
        datasetName: shape.dataset ? 'train' : null,
        datasetDigest: shape.dataset ? 'abc123' : null,
      });
    }
  return points;
}

const { name: dbName, uri } = await createBenchDatabase(adminUri, 'bulk_');
const store = await openStore(uri, { poolSize: 2 });
try {
  const ws = await store.db.selectFrom('workspaces').select('id').executeTakeFirst();
  const workspaceId = ws
    ? Number(ws.id)
    : Number(
        (
          await store.db
            .insertInto('workspaces')
            .values({ name: 'default', creation_time: Date.now() } as never)
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
  const experimentId = await insertExperiment(store.db, {
    workspaceId,
    name: 'bulk',
    artifactLocation: '/tmp/bulk',
    now: Date.now(),
  });
  const newRun = async () => {
    const runUuid = randomUUID().replaceAll('-', '');
    const id = await insertRun(store.db, {
      runUuid,
      experimentId,
      name: runUuid,
      userId: 'bench',
      startTime: Date.now(),
      artifactUri: `/tmp/bulk/${runUuid}`,
    } as never);
    return { id, runUuid };
  };
  const writers: Record<'A' | 'B', RunDataWriter> = {
    A: createPostgresRunDataWriter(store, { copyFromPoints: Number.POSITIVE_INFINITY }),
    B: createPostgresRunDataWriter(store, { copyFromPoints: 0, copyRowPoints: true }),
  };
  const runs = new Map<string, { id: number; runUuid: string }>();
  for (const shape of SHAPES) for (const w of ['A', 'B']) runs.set(`${shape.name}|${w}`, await newRun());
  const times = new Map<string, number[]>();
  const load: number[] = [];
  const t0 = nowMs();
  for (let round = 0; round < rounds; round++) {
    load.push(loadavg()[0]);
    for (const shape of SHAPES) {
      const batch = batchOf(shape, round);
      for (const w of (round % 2 === 0 ? ['A', 'B', 'B', 'A'] : ['B', 'A', 'A', 'B']) as ('A' | 'B')[]) {
        // Each writer writes its round once: the second of its two slots repeats the first's
        // batch as a client retry would (exact duplicates, nothing new stored), timed apart.
        const key = `${shape.name}|${w}`;
        const run = runs.get(key) as { id: number; runUuid: string };
        const first = !(times.get(`${key}|first-done-${round}`)?.length ?? 0);
        const t = nowMs();
        await writers[w].write(run.id, run.runUuid, { params: [], metrics: batch, tags: [] });
        const ms = nowMs() - t;
        const label = first ? key : `${key} (resent)`;
        if (round > 0) times.set(label, [...(times.get(label) ?? []), ms]);
        times.set(`${key}|first-done-${round}`, [1]);
      }
    }
  }
  const wallMs = nowMs() - t0;
  // Both writers stored the same thing.
  for (const shape of SHAPES) {
    const state = async (w: string) => {
      const run = runs.get(`${shape.name}|${w}`) as { id: number };
      const series = await store.db
        .selectFrom('metric_series')
        .select(['key', 'value', 'step', 'timestamp', 'min_value', 'max_value', 'point_count', 'layout'])
        .where('run_id', '=', run.id)
        .orderBy('key')
        .execute();
      const rows = await store.db
        .selectFrom('metric_points')
        .innerJoin('metric_series', 'metric_series.id', 'metric_points.series_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('metric_series.run_id', '=', run.id)
        .executeTakeFirstOrThrow();
      const chunked = await store.db
        .selectFrom('metric_chunks')
        .innerJoin('metric_series', 'metric_series.id', 'metric_chunks.series_id')
        .select((eb) => eb.fn.sum('metric_chunks.point_count').as('n'))
        .where('metric_series.run_id', '=', run.id)
        .executeTakeFirstOrThrow();
      return JSON.stringify({ series, rows: Number(rows.n), chunked: Number(chunked.n ?? 0) });
    };
    const [a, b] = [await state('A'), await state('B')];
    const expected = shape.keys * shape.steps * rounds;
    const parsed = JSON.parse(a) as { rows: number; chunked: number };
    if (a !== b) throw new Error(`${shape.name}: the writers stored different data\nA ${a}\nB ${b}`);
    if (parsed.rows + parsed.chunked !== expected)
      throw new Error(`${shape.name}: stored ${parsed.rows + parsed.chunked} points, expected ${expected}`);
  }
  console.log(
    `pg-bulk-write: ${rounds} rounds (first dropped), A = array-bound statements, B = binary COPY (row points too); wall ${(wallMs / 1000).toFixed(1)} s; load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`,
  );
  console.log('| shape | A p50 ms | B p50 ms | B / A | A points/s | B points/s |');
  console.log('|---|---|---|---|---|---|');
  for (const shape of SHAPES)
    for (const suffix of ['', ' (resent)']) {
      const a = median(times.get(`${shape.name}|A${suffix}`) ?? []);
      const b = median(times.get(`${shape.name}|B${suffix}`) ?? []);
      const n = shape.keys * shape.steps;
      console.log(
        `| ${shape.name}${suffix} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)} | ${Math.round((n / a) * 1000)} | ${Math.round((n / b) * 1000)} |`,
      );
    }
  console.log('both writers stored the same series and point counts');
} finally {
  await store.close();
  await dropBenchDatabase(adminUri, dbName);
}
