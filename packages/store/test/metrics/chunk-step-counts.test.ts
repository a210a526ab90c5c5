import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseSteps, distinctStepsOf, type SeriesSteps } from '../../src/metrics/chunk-steps.ts';
import type { MetricPoint } from '../../src/metrics/metric-point.ts';
import type { MetricReader } from '../../src/metrics/metric-reader.ts';
import { appendToChunk, encodeChunk } from '../../src/metrics/point-chunk.ts';
import type { RunDataWriter } from '../../src/run-data-writer.ts';
import type { Store } from '../../src/store.ts';
import { type MetricStore, openMetricStore, point } from './metric-store-fixture.ts';

// Distinct-step counts per chunk (migration 0012) on both dialects: written with every chunk
// insert and tail extension, read as step pieces (ranges for dense chunks, no blob read), and a
// missing or stale count (a previous-release replica wrote the chunk) falls back to the blob.
let store: Store;
let writer: RunDataWriter;
let reader: MetricReader;
let freshRun: MetricStore['freshRun'];
const backend = process.env.TROVE_TEST_BACKEND ?? 'sqlite';

async function logSeries(key: string, points: MetricPoint[], batch = 1000): Promise<number> {
  const [run, uuid] = freshRun();
  for (let i = 0; i < points.length; i += batch)
    await writer.write(run, uuid, { params: [], tags: [], metrics: points.slice(i, i + batch) });
  const row = await store.db
    .selectFrom('metric_series')
    .select('id')
    .where('run_id', '=', run)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.id;
}

const chunkRows = (seriesId: number) =>
  store.db.selectFrom('metric_chunks').selectAll().where('series_id', '=', seriesId).orderBy('seq').execute();

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** Every distinct step the pieces stand for, up to `end`, reading the pieces that must be read. */
async function listed(found: SeriesSteps, end?: bigint): Promise<bigint[]> {
  const dense = found.pieces.filter((p) => BigInt(p.count) === p.hi - p.lo + 1n && !p.steps);
  const other = found.pieces.filter((p) => !dense.includes(p));
  const read = await reader.pieceSteps(other);
  for (const [i, p] of other.entries()) expect(read[i].length, `piece ${p.lo}..${p.hi}`).toBe(p.count);
  const all = [...dense.flatMap(denseSteps), ...read.flat()].sort(compare);
  return [...new Set(all)].filter((s) => end === undefined || s <= end);
}

const distinct = (points: MetricPoint[], end?: bigint) =>
  [...new Set(points.map((p) => BigInt(p.step)))].sort(compare).filter((s) => end === undefined || s <= end);

beforeAll(async () => {
  ({ store, writer, reader, freshRun } = await openMetricStore(20, 'd'));
});

afterAll(() => store.close());

describe(`chunk step counts and step pieces (${backend})`, () => {
  it('every chunk insert and tail extension counts the distinct steps of all its points', async () => {
    // One point per write extends the tail (steps logged twice, step 64 across two chunks), then a write of 600.
    const [run, uuid] = freshRun();
    const points = [
      ...Array.from({ length: 150 }, (_, i) => point('twice', i, (i + 1) >> 1, 100 + i)),
      ...Array.from({ length: 600 }, (_, i) => point('twice', i, 100 + 3 * i, 1000 + i)),
    ];
    for (const p of points.slice(0, 150)) await writer.write(run, uuid, { params: [], tags: [], metrics: [p] });
    await writer.write(run, uuid, { params: [], tags: [], metrics: points.slice(150) });
    const { id } = await store.db
      .selectFrom('metric_series')
      .select('id')
      .where('run_id', '=', run)
      .where('key', '=', 'twice')
      .executeTakeFirstOrThrow();
    const rows = await chunkRows(id);
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      expect(r.distinct_steps_count).toBe(r.point_count);
      expect(r.distinct_steps).toBe(distinctStepsOf(r.data, r.point_count));
    }
    const found = (await reader.stepPieces(id)) as SeriesSteps;
    expect([found.lo, found.hi]).toEqual([0n, 100n + 3n * 599n]);
    expect(await listed(found)).toEqual(distinct(points));
  });

  it('a dense series is ranges of steps from chunk metadata; a sparse one is read only when asked', async () => {
    const dense = Array.from({ length: 5000 }, (_, i) => point('dense', i, i, 10 + i));
    const id = await logSeries('dense', dense);
    const found = (await reader.stepPieces(id)) as SeriesSteps;
    expect(found.pieces.length).toBe(1);
    for (const p of found.pieces) {
      expect(BigInt(p.count)).toBe(p.hi - p.lo + 1n);
      expect(p.steps).toBeUndefined();
    }
    const upTo = (await reader.stepPieces(id, 700n)) as SeriesSteps;
    expect(upTo.pieces.every((p) => p.lo <= 700n)).toBe(true);
    expect([upTo.lo, upTo.hi]).toEqual([0n, 4999n]);
    expect(await listed(upTo, 700n)).toEqual(distinct(dense, 700n));

    const sparse = Array.from({ length: 3000 }, (_, i) => point('sparse', i, 7 * i + (i % 3), 10 + i));
    const sid = await logSeries('sparse', sparse);
    const pieces = (await reader.stepPieces(sid, 10_000n)) as SeriesSteps;
    expect(pieces.pieces.every((p) => p.chunk !== undefined && p.steps === undefined)).toBe(true);
    expect(await listed(pieces, 10_000n)).toEqual(distinct(sparse, 10_000n));
  });

  it('a series is one range only when its chunks hold every step: shared steps and gaps told apart', async () => {
    /** A series of hand-made chunks (steps per chunk), counts as the writers store them. */
    async function crafted(key: string, chunks: number[][]): Promise<number> {
      const id = await logSeries(key, [point(key, 0, 0, 1)]);
      await store.db.deleteFrom('metric_chunks').where('series_id', '=', id).execute();
      let t = 10;
      for (const [seq, steps] of chunks.entries()) {
        const timestamps = steps.map(() => t++);
        const data = encodeChunk({ steps, timestamps, values: steps.map(() => 1), isNan: steps.map(() => 0 as const) });
        await sql`INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data, distinct_steps, distinct_steps_count)
          VALUES (${id}, ${seq}, ${steps.length}, ${timestamps[0]}, ${steps[0]}, ${timestamps[timestamps.length - 1]}, ${steps[steps.length - 1]}, 0, 1, ${data}, ${distinctStepsOf(data, steps.length)}, ${steps.length})`.execute(
          store.db,
        );
      }
      return id;
    }
    const cases: [string, number[][], boolean][] = [
      // Distinct counts summing to the span, but one step shared and one missing (7).
      [
        'gap',
        [
          [0, 1, 2, 3, 4],
          [4, 5, 6],
          [8, 9],
        ],
        false,
      ],
      [
        'shared',
        [
          [0, 1, 2, 3, 4],
          [4, 5, 6, 7, 8, 9],
        ],
        true,
      ],
      [
        'spanning',
        [
          [0, 1, 2, 2],
          [2, 2],
          [2, 3, 4],
        ],
        true,
      ],
      [
        'holey',
        [
          [0, 2, 2, 3],
          [3, 4, 5],
        ],
        false,
      ],
      ['adjacent', [[0, 1], [2, 3], [4]], true],
    ];
    for (const [key, chunks, dense] of cases) {
      const id = await crafted(key, chunks);
      const found = (await reader.stepPieces(id)) as SeriesSteps;
      const steps = [...new Set(chunks.flat())].map(BigInt);
      expect(found.pieces.length === 1 && !found.pieces[0].chunk && !found.pieces[0].steps, key).toBe(dense);
      expect(await listed(found), key).toEqual(steps);
      const upTo3 = (await reader.stepPieces(id, 3n)) as SeriesSteps;
      expect(await listed(upTo3, 3n), key).toEqual(steps.filter((s) => s <= 3n));
    }
  });

  it('int64 steps beyond 2^53 keep their counts and pieces exact', async () => {
    const base = 2n ** 60n;
    const points = Array.from({ length: 700 }, (_, i) => point('big', i, base + BigInt(i < 300 ? i : 2 * i), 1 + i));
    const id = await logSeries('big', points);
    const found = (await reader.stepPieces(id)) as SeriesSteps;
    expect([found.lo, found.hi]).toEqual([base, base + 1398n]);
    expect(await listed(found)).toEqual(distinct(points));
  });

  it('a missing or stale count (a previous-release replica wrote the chunk) is read from the blob', async () => {
    const points = Array.from({ length: 1100 }, (_, i) => point('old', i, i, 1_000 + i));
    const id = await logSeries('old', points);
    const rows = await chunkRows(id);
    const tail = rows[rows.length - 1];
    expect(tail.point_count).toBeLessThan(128);
    // What a previous release does to extend a tail: data and point_count (and last_*), not the counts.
    const extra = Array.from({ length: 20 }, (_, i) => point('old', 0, 1100 + 2 * i, 2_000 + i));
    const data = appendToChunk(tail.data, tail.point_count, {
      steps: extra.map((p) => p.step),
      timestamps: extra.map((p) => p.timestamp),
      values: extra.map((p) => p.value),
      isNan: extra.map((p) => p.isNan),
    });
    await store.db
      .updateTable('metric_chunks')
      .set({ data, point_count: tail.point_count + 20, last_step: 1138, last_timestamp: 2019, last_value: 0 })
      .where('series_id', '=', id)
      .where('seq', '=', tail.seq)
      .execute();
    // And to add a chunk: a row without counts (nor summary).
    const added = encodeChunk({
      steps: [1200, 1200, 1203],
      timestamps: [3_000, 3_001, 3_002],
      values: [1, 2, 3],
      isNan: [0, 0, 0],
    });
    await sql`INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data)
      VALUES (${id}, ${tail.seq + 1}, 3, 3000, 1200, 3002, 1203, 0, 3, ${added})`.execute(store.db);
    const all = [...points, ...extra, point('old', 0, 1200), point('old', 0, 1203)];
    const found = (await reader.stepPieces(id)) as SeriesSteps;
    expect([found.lo, found.hi]).toEqual([0n, 1203n]);
    expect(found.pieces.filter((p) => p.steps).map((p) => [p.lo, p.hi])).toEqual([
      [BigInt(tail.first_step), 1138n],
      [1200n, 1203n],
    ]);
    expect(await listed(found)).toEqual(distinct(all));
  });

  it.runIf(backend === 'postgres')(
    'rows a previous-release replica wrote into a chunked series come as a piece beside the chunks',
    async () => {
      const points = Array.from({ length: 400 }, (_, i) => point('mixed', i, 2 * i, 100 + 2 * i));
      const id = await logSeries('mixed', points);
      const rows = [-4, 3, 4, 1001].map((step, i) => ({
        series_id: id,
        timestamp: 10_000 + i,
        step,
        is_nan: 0,
        value: 0.5,
        model_id: null,
        dataset_name: null,
        dataset_digest: null,
      }));
      await store.db.insertInto('metric_points').values(rows).execute();
      const found = (await reader.stepPieces(id, 600n)) as SeriesSteps;
      expect([found.lo, found.hi]).toEqual([-4n, 1001n]);
      expect(found.pieces[0]).toMatchObject({ lo: -4n, hi: 4n, count: 3, steps: [-4n, 3n, 4n] });
      expect(await listed(found, 600n)).toEqual(
        distinct([...points, ...rows.map((r) => point('mixed', 0, r.step))], 600n),
      );
    },
  );

  it('a series stored as rows lists its distinct steps up to the bound', async () => {
    // Steps going down within a write keep a series in rows; some steps logged twice.
    const points = Array.from({ length: 3000 }, (_, i) => point('rows', i, 2999 - (i % 2000), 1 + i));
    const id = await logSeries('rows', points);
    const found = (await reader.stepPieces(id, 1500n)) as SeriesSteps;
    expect([found.lo, found.hi]).toEqual([1000n, 2999n]);
    expect(found.pieces.length).toBe(1);
    expect(await listed(found, 1500n)).toEqual(distinct(points, 1500n));
    expect(await reader.stepPieces(id, 10n)).toEqual({ lo: 1000n, hi: 2999n, pieces: [] });
  });
});
