import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricReader, StoredPoint } from '../../src/metrics/metric-reader.ts';
import type { RunDataWriter } from '../../src/run-data-writer.ts';
import type { Store } from '../../src/store.ts';
import { type MetricStore, openMetricStore, point } from './metric-store-fixture.ts';

// Series written in history order are packed into chunks on both dialects; the reader must give
// the same answers as for rows, and a write out of order must lose nothing.
let store: Store;
let writer: RunDataWriter;
let reader: MetricReader;
let freshRun: MetricStore['freshRun'];
const backend = process.env.TROVE_TEST_BACKEND ?? 'sqlite';

async function seriesRow(runId: number, key: string) {
  return store.db
    .selectFrom('metric_series')
    .selectAll()
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

async function chunkCount(seriesId: number) {
  const rows = await store.db.selectFrom('metric_chunks').select('seq').where('series_id', '=', seriesId).execute();
  return rows.length;
}

const tuple = (p: StoredPoint) => [p.timestamp, p.step, p.is_nan, p.value];

async function pageAll(id: number, size: number): Promise<StoredPoint[]> {
  const out: StoredPoint[] = [];
  let after: StoredPoint | undefined;
  for (;;) {
    const page = await reader.page(
      id,
      size,
      after && { timestamp: after.timestamp, step: after.step, isNan: after.is_nan, value: after.value },
    );
    out.push(...page);
    if (page.length < size) return out;
    after = page[page.length - 1];
  }
}

beforeAll(async () => {
  ({ store, writer, reader, freshRun } = await openMetricStore(8, 'c'));
});

afterAll(() => store.close());

describe(`chunked metric series (${backend})`, () => {
  it('pages, samples and finds steps across chunk boundaries, steps repeating across chunks', async () => {
    const [run, uuid] = freshRun();
    // 30 writes of 9 points; each step is logged twice (two timestamps), so some steps span chunks.
    for (let w = 0; w < 30; w++) {
      const metrics = Array.from({ length: 9 }, (_, i) => {
        const n = w * 9 + i;
        return point('loss', n === 77 ? Number.NaN : 1 / (n + 1), Math.floor(n / 2), 1000 + n);
      });
      await writer.write(run, uuid, { params: [], tags: [], metrics });
    }
    const row = await seriesRow(run, 'loss');
    expect(row.layout).toBe(1);
    expect(await chunkCount(row.id)).toBe(2);
    expect(row.point_count).toBe(270);
    const all = await reader.page(row.id, undefined, undefined);
    expect(all.map((p) => p.step)).toEqual(Array.from({ length: 270 }, (_, n) => Math.floor(n / 2)));
    expect(all[77]).toMatchObject({ is_nan: 1, value: 0, step: 38, timestamp: 1077, model_id: null });
    for (const size of [1, 7, 9, 33, 269, 270, 271])
      expect((await pageAll(row.id, size)).map(tuple)).toEqual(all.map(tuple));
    // Small chunks grow to 135 points (15 writes): step 67 is points 134 (chunk 0) and 135 (chunk 1).
    expect((await reader.atSteps(row.id, [68n, 67n, 4n])).map((p) => p.timestamp)).toEqual([
      1008, 1009, 1134, 1135, 1136, 1137,
    ]);
    expect(await reader.sampleSteps(row.id, 4)).toEqual([0n, 44n, 89n, 134n]);
    expect(await reader.sampleSteps(row.id, 3, 10n, 12n)).toEqual([10n, 11n, 12n]);
    expect(await reader.sampleSteps(row.id, 3, 500n, 600n)).toEqual([]);
    // Many targets over few chunks take the metadata walk instead of one seek per target.
    expect(await reader.sampleSteps(row.id, 64)).toEqual([
      ...new Set(Array.from({ length: 64 }, (_, i) => BigInt(Math.floor((134 * i) / 63)))),
    ]);
    const many = Array.from({ length: 40 }, (_, i) => BigInt(i * 3 + 1));
    const at = await reader.atSteps(row.id, many);
    expect(at.map((p) => p.step)).toEqual(many.flatMap((s) => [Number(s), Number(s)]));
    expect(at.map((p) => p.timestamp)).toEqual(many.flatMap((s) => [1000 + 2 * Number(s), 1001 + 2 * Number(s)]));
  });

  it('splits a large write into chunks of at most 256 points', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, {
      params: [],
      tags: [],
      metrics: Array.from({ length: 600 }, (_, i) => point('big', i, i, i)),
    });
    const row = await seriesRow(run, 'big');
    expect(await chunkCount(row.id)).toBe(3);
    expect(await reader.sampleSteps(row.id, 3)).toEqual([0n, 299n, 599n]);
    expect((await reader.atSteps(row.id, [255n, 256n, 512n])).map((p) => p.value)).toEqual([255, 256, 512]);
    expect((await pageAll(row.id, 250)).map((p) => p.step)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  });

  it('one point per write still packs into chunks of at least 128 points', async () => {
    const [run, uuid] = freshRun();
    for (let i = 0; i < 300; i++)
      await writer.write(run, uuid, { params: [], tags: [], metrics: [point('one', i, i, 5000 + i)] });
    const row = await seriesRow(run, 'one');
    expect(row.point_count).toBe(300);
    expect(await chunkCount(row.id)).toBe(3);
    expect((await pageAll(row.id, 100)).map((p) => p.value)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('a resent batch (client retry) adds nothing and keeps the series packed', async () => {
    const [run, uuid] = freshRun();
    const first = Array.from({ length: 5 }, (_, i) => point('acc', i / 10, i, 10 + i));
    const second = Array.from({ length: 5 }, (_, i) => point('acc', (5 + i) / 10, 5 + i, 15 + i));
    await writer.write(run, uuid, { params: [], tags: [], metrics: first });
    await writer.write(run, uuid, { params: [], tags: [], metrics: second });
    await writer.write(run, uuid, { params: [], tags: [], metrics: second });
    await writer.write(run, uuid, { params: [], tags: [], metrics: [...first, ...second] });
    const row = await seriesRow(run, 'acc');
    expect(row.point_count).toBe(10);
    expect(row.layout).toBe(1);
    expect((await reader.page(row.id, undefined, undefined)).map((p) => p.step)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('a point out of order moves the series to rows, losing nothing and keeping order and count', async () => {
    const [run, uuid] = freshRun();
    for (let w = 0; w < 4; w++) {
      const metrics = Array.from({ length: 25 }, (_, i) => point('lr', w * 25 + i, w * 25 + i, 100 + w * 25 + i));
      await writer.write(run, uuid, { params: [], tags: [], metrics });
    }
    // Earlier timestamp, later step: before the series' tail in history order.
    await writer.write(run, uuid, {
      params: [],
      tags: [],
      metrics: [point('lr', -1, 500, 50), point('lr', 3, 3, 103)],
    });
    const row = await seriesRow(run, 'lr');
    expect(row.layout).toBe(0);
    expect(await chunkCount(row.id)).toBe(0);
    expect(row.point_count).toBe(101);
    expect(row).toMatchObject({ step: 500, value: -1, min_value: -1, max_value: 99 });
    const all = await reader.page(row.id, undefined, undefined);
    expect(all.map((p) => p.step)).toEqual([500, ...Array.from({ length: 100 }, (_, i) => i)]);
    expect(await reader.sampleSteps(row.id, 2)).toEqual([0n, 500n]);
    // Later writes in order go on to rows.
    await writer.write(run, uuid, { params: [], tags: [], metrics: [point('lr', 7, 600, 900)] });
    expect((await seriesRow(run, 'lr')).point_count).toBe(102);
  });

  it('steps that go down within one write, or a step below the tail, keep the series in rows', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, { params: [], tags: [], metrics: [point('x', 1, 5, 1), point('x', 2, 4, 2)] });
    expect((await seriesRow(run, 'x')).layout).toBe(0);
    await writer.write(run, uuid, { params: [], tags: [], metrics: [point('y', 1, 5, 1)] });
    await writer.write(run, uuid, { params: [], tags: [], metrics: [point('y', 2, 4, 2)] });
    const y = await seriesRow(run, 'y');
    expect(y.layout).toBe(0);
    expect((await reader.page(y.id, undefined, undefined)).map((p) => [p.timestamp, p.step])).toEqual([
      [1, 5],
      [2, 4],
    ]);
  });

  it.runIf(backend === 'postgres')(
    'reads rows that a previous-release replica wrote into a chunked series, and the next write moves it to rows',
    async () => {
      const [run, uuid] = freshRun();
      await writer.write(run, uuid, {
        params: [],
        tags: [],
        metrics: Array.from({ length: 5 }, (_, i) => point('up', i, i * 2, 100 + i * 2)),
      });
      const row = await seriesRow(run, 'up');
      expect(row.layout).toBe(1);
      // What a replica of the previous release does: a row in metric_points, folded into the series.
      await store.db
        .insertInto('metric_points')
        .values({
          series_id: row.id,
          timestamp: 103,
          step: 3,
          is_nan: 0,
          value: 0.5,
          model_id: null,
          dataset_name: null,
          dataset_digest: null,
        })
        .execute();
      await store.db.updateTable('metric_series').set({ point_count: 6 }).where('id', '=', row.id).execute();
      expect((await reader.page(row.id, undefined, undefined)).map((p) => p.step)).toEqual([0, 2, 3, 4, 6, 8]);
      expect((await pageAll(row.id, 4)).map((p) => p.step)).toEqual([0, 2, 3, 4, 6, 8]);
      expect((await reader.atSteps(row.id, [3n, 4n])).map((p) => p.value)).toEqual([0.5, 2]);
      await writer.write(run, uuid, { params: [], tags: [], metrics: [point('up', 9, 10, 110)] });
      const after = await seriesRow(run, 'up');
      expect(after.layout).toBe(0);
      expect(after.point_count).toBe(7);
      expect((await reader.page(row.id, undefined, undefined)).map((p) => p.step)).toEqual([0, 2, 3, 4, 6, 8, 10]);
    },
  );
});
