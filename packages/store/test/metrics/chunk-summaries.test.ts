import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSummary, encodeSummary, summarizeChunk } from '../../src/metrics/chunk-summary.ts';
import { type ChartPoint, firstMinMaxLast } from '../../src/metrics/m4-downsample.ts';
import type { MetricPoint } from '../../src/metrics/metric-point.ts';
import type { MetricReader } from '../../src/metrics/metric-reader.ts';
import { appendToChunk, decodeChunk, encodeChunk } from '../../src/metrics/point-chunk.ts';
import type { RunDataWriter } from '../../src/run-data-writer.ts';
import type { Store } from '../../src/store.ts';
import { type MetricStore, openMetricStore, point } from './metric-store-fixture.ts';

// Chunk summaries (migration 0008) and chart reads on both dialects: summaries are written with
// every chunk, answer charts over many chunks, and a missing or stale one (a previous-release
// replica wrote the chunk) falls back to the blob.
let store: Store;
let writer: RunDataWriter;
let reader: MetricReader;
let freshRun: MetricStore['freshRun'];
const backend = process.env.TROVE_TEST_BACKEND ?? 'sqlite';

/** Writes points in batches of 1,000 (MLflow's log-batch limit) and returns the series id. */
async function logSeries(key: string, points: MetricPoint[]): Promise<number> {
  const [run, uuid] = freshRun();
  for (let i = 0; i < points.length; i += 1000)
    await writer.write(run, uuid, { params: [], tags: [], metrics: points.slice(i, i + 1000) });
  const row = await store.db
    .selectFrom('metric_series')
    .select(['id', 'layout'])
    .where('run_id', '=', run)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.id;
}

const chunkRows = (seriesId: number) =>
  store.db.selectFrom('metric_chunks').selectAll().where('series_id', '=', seriesId).orderBy('seq').execute();

/** A 10,240-step curve in [-1, 1] with a spike, a dip and a few NaN. */
const curve = (key: string) =>
  Array.from({ length: 10_240 }, (_, i) =>
    point(key, i === 5000 ? 50 : i === 7777 ? -50 : i % 1000 === 999 ? Number.NaN : Math.sin(i / 40), i, 1_000_000 + i),
  );

const at = (points: ChartPoint[], step: number) => points.find((p) => Number(p.step) === step);

beforeAll(async () => {
  ({ store, writer, reader, freshRun } = await openMetricStore(10, 's'));
});

afterAll(() => store.close());

describe(`chunk summaries and chart reads (${backend})`, () => {
  it('every chunk insert and tail extension writes the summary of all its points', async () => {
    const [run, uuid] = freshRun();
    // One point per write: the tail chunk is extended 127 times, then a new chunk starts.
    for (let i = 0; i < 200; i++)
      await writer.write(run, uuid, {
        params: [],
        tags: [],
        metrics: [point('one', i === 60 ? 9 : i === 61 ? -9 : i % 7, i, 100 + i)],
      });
    await writer.write(run, uuid, {
      params: [],
      tags: [],
      metrics: Array.from({ length: 600 }, (_, i) => point('one', i === 500 ? Number.NaN : i, 200 + i, 300 + i)),
    });
    const { id } = await store.db
      .selectFrom('metric_series')
      .select('id')
      .where('run_id', '=', run)
      .where('key', '=', 'one')
      .executeTakeFirstOrThrow();
    const rows = await chunkRows(id);
    expect(rows.map((r) => r.point_count)).toEqual([128, 72, 256, 256, 88]);
    for (const r of rows) {
      expect(r.summary_count).toBe(r.point_count);
      const c = decodeChunk(r.data, r.point_count);
      const points = Array.from({ length: c.length }, (_, i) => ({
        step: c.step(i),
        timestamp: c.timestamp(i),
        value: c.value(i),
      }));
      expect(decodeSummary(r.summary as Uint8Array)).toEqual(firstMinMaxLast(points));
    }
    expect(decodeSummary(rows[0].summary as Uint8Array).map((p) => [p.step, p.value])).toEqual([
      [0, 0],
      [60, 9],
      [61, -9],
      [127, 1],
    ]);
  });

  it('a summary ignores NaN for min and max; a chunk of only NaN keeps its first and last point', () => {
    const nan = Number.NaN;
    const chunk = (values: number[]) =>
      encodeChunk({
        steps: values.map((_, i) => i),
        timestamps: values.map((_, i) => i),
        values: values.map((v) => (Number.isNaN(v) ? 0 : v)),
        isNan: values.map((v) => (Number.isNaN(v) ? 1 : 0)),
      });
    const summary = (values: number[]) =>
      decodeSummary(summarizeChunk(chunk(values), values.length)).map((p) => [p.step, p.value]);
    expect(summary([nan, nan, nan])).toEqual([
      [0, nan],
      [2, nan],
    ]);
    expect(summary([nan])).toEqual([[0, nan]]);
    expect(summary([nan, 3, nan, 1, 3, 1, nan])).toEqual([
      [0, nan],
      [1, 3],
      [3, 1],
      [6, nan],
    ]);
    // The same points as the chart's M4 bucket, for any values.
    const values = Array.from({ length: 256 }, (_, i) => (i % 17 === 0 ? nan : Math.round(Math.sin(i * 7.3) * 5)));
    const points = values.map((value, i) => ({ step: i, timestamp: i, value }));
    expect(decodeSummary(summarizeChunk(chunk(values), 256))).toEqual(firstMinMaxLast(points));
  });

  it('a chart over many chunks is read from summaries: at most `max` points, ends, spike and dip kept', async () => {
    const id = await logSeries('loss', curve('loss'));
    const rows = await chunkRows(id);
    expect(rows.length).toBe(41);
    const chart = await reader.chart(id, 100);
    expect(chart.length).toBeLessThanOrEqual(100);
    expect(chart.length).toBeGreaterThan(40);
    expect(chart[0]).toEqual({ step: 0, timestamp: 1_000_000, value: 0 });
    expect(chart[chart.length - 1].step).toBe(10_239);
    expect(at(chart, 5000)?.value).toBe(50);
    expect(at(chart, 7777)?.value).toBe(-50);
    expect(chart.map((p) => p.step)).toEqual([...chart.map((p) => Number(p.step))].sort((a, b) => a - b));

    // Proof that summaries answer it: a planted summary (current, by its count) shows in the chart.
    const planted = rows[10];
    const fake = encodeSummary([{ step: planted.first_step, timestamp: planted.first_timestamp, value: 1234 }]);
    await store.db
      .updateTable('metric_chunks')
      .set({ summary: fake })
      .where('series_id', '=', id)
      .where('seq', '=', planted.seq)
      .execute();
    expect(at(await reader.chart(id, 100), planted.first_step)?.value).toBe(1234);
    // Few chunks in range: the blobs are decoded, and a range of at most `max` points comes back whole.
    const zoomed = await reader.chart(id, 1000, BigInt(planted.first_step), BigInt(planted.first_step + 499));
    expect(zoomed.map((p) => p.step)).toEqual(Array.from({ length: 500 }, (_, i) => planted.first_step + i));
    expect(zoomed.map((p) => p.value)).toEqual(
      curve('loss')
        .slice(planted.first_step, planted.first_step + 500)
        .map((p) => (p.isNan ? Number.NaN : p.value)),
    );
    // More than `max` points over few chunks: M4 over the decoded points.
    const mid = await reader.chart(id, 100, 4000n, 8000n);
    expect(mid.length).toBeLessThanOrEqual(100);
    expect(mid[0].step).toBe(4000);
    expect(mid[mid.length - 1].step).toBe(8000);
    expect(at(mid, 5000)?.value).toBe(50);
    expect(await reader.chart(id, 100, 20_000n, 30_000n)).toEqual([]);
  });

  it('a range cutting chunks reads only its own points from the chunks at its ends', async () => {
    const id = await logSeries('cut', curve('cut'));
    const chart = await reader.chart(id, 40, 1000n, 9000n);
    expect(chart.length).toBeLessThanOrEqual(40);
    expect(chart[0].step).toBe(1000);
    expect(chart[chart.length - 1].step).toBe(9000);
    expect(chart.every((p) => Number(p.step) >= 1000 && Number(p.step) <= 9000)).toBe(true);
  });

  it('a stale summary (a previous-release replica extended the chunk) or a missing one falls back to the blob', async () => {
    const id = await logSeries('old', curve('old').slice(0, 10_100));
    const rows = await chunkRows(id);
    const tail = rows[rows.length - 1];
    expect(tail.point_count).toBeLessThan(128);
    // What a previous release does to extend a tail: data and point_count (and last_*), not the summary.
    const extra = Array.from({ length: 20 }, (_, i) => point('old', i === 10 ? 77 : 0.5, 10_100 + i, 2_000_000 + i));
    const data = appendToChunk(tail.data, tail.point_count, {
      steps: extra.map((p) => p.step),
      timestamps: extra.map((p) => p.timestamp),
      values: extra.map((p) => p.value),
      isNan: extra.map((p) => p.isNan),
    });
    const last = extra[extra.length - 1];
    await store.db
      .updateTable('metric_chunks')
      .set({
        data,
        point_count: tail.point_count + 20,
        last_step: Number(last.step),
        last_timestamp: Number(last.timestamp),
        last_value: last.value,
        last_is_nan: 0,
      })
      .where('series_id', '=', id)
      .where('seq', '=', tail.seq)
      .execute();
    // And to add a chunk: a row without a summary.
    const added = encodeChunk({
      steps: [10_200, 10_201],
      timestamps: [3_000_000, 3_000_001],
      values: [-77, 0.25],
      isNan: [0, 0],
    });
    await sql`INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data)
      VALUES (${id}, ${tail.seq + 1}, 2, 3000000, 10200, 3000001, 10201, 0, 0.25, ${added})`.execute(store.db);
    const chart = await reader.chart(id, 100);
    expect(chart.length).toBeLessThanOrEqual(100);
    expect(at(chart, 10_110)?.value).toBe(77);
    expect(at(chart, 10_200)?.value).toBe(-77);
    expect(chart[chart.length - 1]).toEqual({ step: 10_201, timestamp: 3_000_001, value: 0.25 });
  });

  it('NaN: a bucket of only NaN keeps a NaN point; NaN never hides a bucket’s extremes', async () => {
    const points = Array.from({ length: 8192 }, (_, i) =>
      point('nan', i >= 2048 && i < 4096 ? Number.NaN : i === 6000 ? -5 : 1, i, 10 + i),
    );
    const id = await logSeries('nan', points);
    for (const max of [16, 400]) {
      const chart = await reader.chart(id, max);
      const nanSteps = chart.filter((p) => Number.isNaN(p.value)).map((p) => Number(p.step));
      expect(nanSteps.length).toBeGreaterThan(0);
      expect(nanSteps.every((s) => s >= 2048 && s < 4096)).toBe(true);
      expect(at(chart, 6000)?.value).toBe(-5);
    }
  });

  it('keeps int64 steps and timestamps beyond 2^53 exact', async () => {
    const base = 2n ** 60n;
    const id = await logSeries(
      'big',
      Array.from({ length: 3000 }, (_, i) => point('big', i === 1234 ? 9 : 0, base + BigInt(i), base + BigInt(i))),
    );
    const chart = await reader.chart(id, 40);
    expect(chart[0]).toEqual({ step: base, timestamp: base, value: 0 });
    expect(chart.find((p) => p.value === 9)).toEqual({ step: base + 1234n, timestamp: base + 1234n, value: 9 });
    expect(chart[chart.length - 1].step).toBe(base + 2999n);
    expect((await reader.chart(id, 1000, base + 10n, base + 12n)).map((p) => p.step)).toEqual([
      base + 10n,
      base + 11n,
      base + 12n,
    ]);
  });

  it('a series stored as rows is charted from history pages: every point when few, M4 when many', async () => {
    // Steps going down within a write keep a series in rows.
    const points = Array.from({ length: 12_000 }, (_, i) =>
      point('rows', i === 3333 ? 42 : Math.cos(i / 30), 11_999 - i, 1 + i),
    );
    const id = await logSeries('rows', points);
    expect(
      (await store.db.selectFrom('metric_series').select('layout').where('id', '=', id).executeTakeFirstOrThrow())
        .layout,
    ).toBe(0);
    const chart = await reader.chart(id, 200);
    expect(chart.length).toBeLessThanOrEqual(200);
    expect(chart[0].step).toBe(0);
    expect(chart[chart.length - 1].step).toBe(11_999);
    expect(at(chart, 11_999 - 3333)?.value).toBe(42);
    const zoomed = await reader.chart(id, 200, 100n, 299n);
    expect(zoomed.map((p) => p.step)).toEqual(Array.from({ length: 200 }, (_, i) => 100 + i));
  });

  it.runIf(backend === 'postgres')(
    'charts a chunked series that a previous-release replica also wrote rows into',
    async () => {
      const id = await logSeries('mixed', curve('mixed').slice(0, 3000));
      await store.db
        .insertInto('metric_points')
        .values({
          series_id: id,
          timestamp: 1_001_500,
          step: 1500,
          is_nan: 0,
          value: 99,
          model_id: null,
          dataset_name: null,
          dataset_digest: null,
        })
        .execute();
      const chart = await reader.chart(id, 100);
      expect(chart.length).toBeLessThanOrEqual(100);
      expect(chart.filter((p) => p.value === 99).map((p) => p.step)).toEqual([1500]);
      expect((await reader.chart(id, 1000, 1499n, 1501n)).map((p) => [p.step, p.value])).toEqual([
        [1499, Math.sin(1499 / 40)],
        [1500, Math.sin(1500 / 40)],
        [1500, 99],
        [1501, Math.sin(1501 / 40)],
      ]);
    },
  );
});
