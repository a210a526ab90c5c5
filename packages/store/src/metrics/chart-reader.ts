import { firstStepAtOrAfter } from './chunk-points.ts';
import { decodeSummary, summaryIsCurrent, summaryOf } from './chunk-summary.ts';
import { bucketCount, type ChartPoint, Downsampler, M4Buckets, stepBuckets } from './m4-downsample.ts';
import type { HistoryCursor, StoredPoint } from './metric-reader.ts';
import type { DecodedChunk } from './point-chunk.ts';

/**
 * Chart reads (`MetricReader.chart`): a series over a step range at about `max` points, min/max
 * preserved. Shared by both dialects; each supplies the few statements below.
 */

/** A chunk's metadata and summary, as the chart reader needs them. */
export interface ChartChunk {
  seq: bigint;
  count: number;
  firstStep: number | bigint;
  lastStep: number | bigint;
  summary: Uint8Array | null;
  summaryCount: number | null;
}

/** What a dialect provides for charts of chunked series. */
export interface ChartChunkSource {
  /** The first and last step of the series' chunks. */
  stepRange(series: number): Promise<{ lo: bigint; hi: bigint } | undefined>;
  /** The chunks holding steps in [lo, hi], in order (metadata and summaries, no blobs). */
  chunksInRange(series: number, lo: bigint, hi: bigint): Promise<ChartChunk[]>;
  /** Decoded blobs of some chunks, by seq. */
  blobs(series: number, seqs: bigint[]): Promise<Map<bigint, DecodedChunk>>;
}

/** One page of history in history order (`MetricReader.page`). */
export type PageReader = (limit: number, after: HistoryCursor | undefined) => Promise<StoredPoint[]>;

const PAGE = 5000;

/**
 * Series a many-run chart reads at once on PostgreSQL (`MetricReader.charts`): each chart is a few
 * round trips, so 8 in flight hide most of the latency while leaving the pool (10 by default)
 * room for other requests.
 */
export const CHART_CONCURRENCY = 8;

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true; // the others start nothing new; the first error is the answer
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Indices [from, to) of the decoded chunk's points whose steps are in [lo, hi] (steps never decrease in a chunk). */
const indicesIn = (c: DecodedChunk, lo: bigint, hi: bigint): [number, number] => [
  firstStepAtOrAfter(c, lo),
  firstStepAtOrAfter(c, hi + 1n),
];

/**
 * A chunked series over [lo, hi]. Over few chunks (fewer than the chart's M4 buckets) or few
 * points, the blobs are decoded: every point when at most `max`, else M4 by step. Over many chunks
 * only summaries are read, and each chunk goes whole into the bucket of its first step, so a
 * bucket's first/min/max/last are exact for the chunks it holds (buckets are whole chunks, a
 * little uneven in width). Blobs are still read for the (at most two) chunks cut by the range
 * ends and for chunks whose summary is missing or stale.
 */
export async function chartOfChunks(
  source: ChartChunkSource,
  series: number,
  max: number,
  lo: bigint,
  hi: bigint,
): Promise<ChartPoint[]> {
  const chunks = await source.chunksInRange(series, lo, hi);
  const total = chunks.reduce((n, c) => n + c.count, 0);
  const buckets = bucketCount(max);
  if (total <= max || chunks.length < buckets) {
    const decoded = await source.blobs(
      series,
      chunks.map((c) => c.seq),
    );
    const out = new Downsampler(lo, hi, max);
    for (const meta of chunks) {
      const c = decoded.get(meta.seq) as DecodedChunk;
      const [from, to] = indicesIn(c, lo, hi);
      for (let i = from; i < to; i++) out.add({ step: c.step(i), timestamp: c.timestamp(i), value: c.value(i) });
    }
    return out.points();
  }
  const summarised = (c: ChartChunk) => summaryIsCurrent(c) && c.firstStep >= lo && c.lastStep <= hi;
  const decoded = await source.blobs(
    series,
    chunks.filter((c) => !summarised(c)).map((c) => c.seq),
  );
  const bucketOf = stepBuckets(lo, hi, buckets);
  const m4 = new M4Buckets();
  for (const c of chunks) {
    const blob = decoded.get(c.seq) as DecodedChunk;
    const points = summarised(c) ? decodeSummary(c.summary as Uint8Array) : summaryOf(blob, ...indicesIn(blob, lo, hi));
    if (points.length === 0) continue;
    const bucket = bucketOf(points[0].step);
    for (const p of points) m4.add(p, bucket);
  }
  return m4.points();
}

/**
 * Points of [lo, hi] streamed from history pages into `out` (series stored as rows, read in
 * 5,000-point keyset pages: memory stays at a page plus the chart, whatever the series' length).
 */
export async function addPages(out: Downsampler, page: PageReader, lo: bigint, hi: bigint): Promise<void> {
  let after: HistoryCursor | undefined;
  for (;;) {
    const rows = await page(PAGE, after);
    for (const r of rows)
      if (r.step >= lo && r.step <= hi)
        out.add({ step: r.step, timestamp: r.timestamp, value: r.is_nan ? Number.NaN : r.value });
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { timestamp: last.timestamp, step: last.step, isNan: last.is_nan, value: last.value };
  }
}
