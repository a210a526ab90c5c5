import type { ChartPoint } from './m4-downsample.ts';
import { chunkPointList, type DecodedChunk, decodeChunk, encodeChunk } from './point-chunk.ts';

/**
 * A chunk's summary (migration 0008): its first, minimum, maximum and last points, each once, in
 * history order, packed with `encodeChunk` (so 1 to 4 points, 32 to 104 bytes). A chart over many
 * chunks reads these instead of the blobs. NaN is never a minimum or maximum (ties keep the
 * earliest point); a chunk of only NaN keeps its first and last point. The row also stores the
 * point count the summary was computed over: a replica of the previous release extends a tail
 * chunk without touching the summary, and a count that no longer matches `point_count` marks the
 * summary stale.
 */

const pointAt = (c: DecodedChunk, i: number): ChartPoint => ({
  step: c.step(i),
  timestamp: c.timestamp(i),
  value: c.value(i),
});

/**
 * First, min, max and last of points `from`..`to - 1` of a decoded chunk, each once, in order: the
 * same as `firstMinMaxLast` (inside a chunk, history order is chart order), in one pass over the
 * values, for the many chunks a chart may have to summarise itself.
 */
export function summaryOf(c: DecodedChunk, from = 0, to = c.length): ChartPoint[] {
  if (from >= to) return [];
  let min = -1;
  let max = -1;
  for (let i = from; i < to; i++) {
    const v = c.value(i);
    if (Number.isNaN(v)) continue;
    if (min < 0 || v < c.value(min)) min = i;
    if (max < 0 || v > c.value(max)) max = i;
  }
  const picked = [from, min, max, to - 1].filter((i) => i >= 0).sort((a, b) => a - b);
  return picked.filter((i, k) => k === 0 || i !== picked[k - 1]).map((i) => pointAt(c, i));
}

/** Packs summary points (chart points: NaN values are NaN). */
export function encodeSummary(points: ChartPoint[]): Buffer {
  return encodeChunk({
    steps: points.map((p) => p.step),
    timestamps: points.map((p) => p.timestamp),
    values: points.map((p) => (Number.isNaN(p.value) ? 0 : p.value)),
    isNan: points.map((p) => (Number.isNaN(p.value) ? 1 : 0)),
  });
}

/** The summary to store beside a chunk blob of `count` points; every chunk writer calls this. */
export function summarizeChunk(data: Uint8Array, count: number): Buffer {
  return encodeSummary(summaryOf(decodeChunk(data, count)));
}

/** The points of a stored summary. */
export function decodeSummary(summary: Uint8Array): ChartPoint[] {
  return chunkPointList(summary);
}

/** Whether a chunk row's summary describes its current points (present, and over the same count). */
export function summaryIsCurrent(row: {
  count: number;
  summary: Uint8Array | null;
  summaryCount: number | null;
}): boolean {
  return row.summary !== null && row.summaryCount === row.count;
}
