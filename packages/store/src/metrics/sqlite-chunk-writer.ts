import type BetterSqlite3 from 'better-sqlite3';
import { compareHistory, type HistoryKey, type MetricPoint } from './metric-point.ts';
import { appendToChunk, decodeChunk, encodeChunk } from './point-chunk.ts';

interface ChunkTail {
  seq: number | bigint;
  point_count: number | bigint;
  /** Only for a tail small enough to be extended. */
  data: Buffer | null;
  last_timestamp: number | bigint;
  last_step: number | bigint;
  last_is_nan: number | bigint;
  last_value: number;
}

/**
 * A last chunk smaller than this takes the next write's points into itself instead of getting a
 * new chunk after it: a client that logs one point per request (MLflow's `log_metric`) still
 * gets chunks of this many points, and rewriting a tail this small costs a few kilobytes.
 */
const MIN_CHUNK = 128;
/**
 * A write of more points than this is split: a step seek reads one whole chunk, so chunks stay
 * at a few kilobytes (256 points = 6 KiB).
 */
export const MAX_CHUNK = 256;

const keyOf = (p: HistoryKey) => `${p.timestamp}|${p.step}|${p.isNan}|${p.isNan ? 0 : p.value}`;

function pointsOf(data: Uint8Array, n: number): Omit<MetricPoint, 'key'>[] {
  const c = decodeChunk(data, n);
  return Array.from({ length: n }, (_, i) => {
    const v = c.value(i);
    const nan = Number.isNaN(v);
    return { timestamp: c.timestamp(i), step: c.step(i), value: nan ? 0 : v, isNan: nan ? 1 : 0, modelId: null, datasetName: null, datasetDigest: null };
  });
}

/**
 * Points of a series in history order with exact duplicates removed, or undefined when they
 * cannot be packed: a point carries model or dataset fields, or its steps go down as history
 * order goes up (chunks must keep steps non-decreasing so that a step seek finds one chunk).
 */
export function packable(points: MetricPoint[]): MetricPoint[] | undefined {
  const sorted: MetricPoint[] = [];
  for (const p of points) {
    if (p.modelId !== null || p.datasetName !== null || p.datasetDigest !== null) return undefined;
    sorted.push(p);
  }
  sorted.sort(compareHistory);
  const out: MetricPoint[] = [];
  for (const p of sorted) {
    const prev = out[out.length - 1];
    if (prev && compareHistory(prev, p) === 0) continue;
    if (prev && p.step < prev.step) return undefined;
    out.push(p);
  }
  return out;
}

/**
 * Appends packed points to series stored as chunks (`metric_series.layout = 1`). A write that
 * would break the chunk order (a point before the series' last point that is not an exact
 * duplicate of a stored one) is refused, and the caller moves the series to rows for good.
 */
export function createSqliteChunkWriter(raw: BetterSqlite3.Database) {
  const tailOf = raw
    .prepare<[number], ChunkTail>(
      `SELECT seq, point_count, last_timestamp, last_step, last_is_nan, last_value, CASE WHEN point_count < ${MIN_CHUNK} THEN data END AS data FROM metric_chunks WHERE series_id = ? ORDER BY seq DESC LIMIT 1`,
    )
    .safeIntegers(true);
  const insertChunk = raw.prepare(
    `INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const chunksFromTimestamp = raw
    .prepare<[number, number | bigint], [number, Buffer]>('SELECT point_count, data FROM metric_chunks WHERE series_id = ? AND last_timestamp >= ? ORDER BY last_timestamp, seq')
    .raw(true);
  const updateChunk = raw.prepare(
    'UPDATE metric_chunks SET point_count = ?, last_timestamp = ?, last_step = ?, last_is_nan = ?, last_value = ?, data = ? WHERE series_id = ? AND seq = ?',
  );
  const allChunks = raw.prepare<[number], [number, Buffer]>('SELECT point_count, data FROM metric_chunks WHERE series_id = ? ORDER BY seq').raw(true);
  const deleteChunks = raw.prepare('DELETE FROM metric_chunks WHERE series_id = ?');
  const toRows = raw.prepare('UPDATE metric_series SET layout = 0 WHERE id = ?');

  function storedKeysFrom(seriesId: number, timestamp: number | bigint): Set<string> {
    const keys = new Set<string>();
    for (const [n, data] of chunksFromTimestamp.all(seriesId, timestamp)) for (const p of pointsOf(data, n)) keys.add(keyOf(p));
    return keys;
  }

  const columns = (points: Omit<MetricPoint, 'key'>[]) => ({
    timestamps: points.map((p) => p.timestamp),
    steps: points.map((p) => p.step),
    values: points.map((p) => p.value),
    isNan: points.map((p) => p.isNan),
  });
  const encode = (points: Omit<MetricPoint, 'key'>[]) => encodeChunk(columns(points));

  function insert(seriesId: number, seq: number | bigint, points: MetricPoint[]): void {
    const first = points[0];
    const last = points[points.length - 1];
    insertChunk.run(seriesId, seq, points.length, first.timestamp, first.step, last.timestamp, last.step, last.isNan, last.value, encode(points));
  }

  function insertAll(seriesId: number, seq: bigint, points: MetricPoint[]): void {
    for (let i = 0; i < points.length; i += MAX_CHUNK) insert(seriesId, seq + BigInt(i / MAX_CHUNK), points.slice(i, i + MAX_CHUNK));
  }

  /** Rewrites the (small) last chunk with `points` appended. */
  function extend(seriesId: number, seq: bigint, data: Buffer, count: number, points: MetricPoint[]): void {
    const last = points[points.length - 1];
    updateChunk.run(count + points.length, last.timestamp, last.step, last.isNan, last.value, appendToChunk(data, count, columns(points)), seriesId, seq);
  }

  /**
   * Stores `points` (already `packable`) after the series' last chunk; returns how many were new,
   * or undefined when they do not fit the chunk order. `empty` skips the tail lookup for a series
   * just created.
   */
  function append(seriesId: number, points: MetricPoint[], empty: boolean): number | undefined {
    const tail = empty ? undefined : tailOf.get(seriesId);
    if (!tail) {
      insertAll(seriesId, 0n, points);
      return points.length;
    }
    const last: HistoryKey = { timestamp: tail.last_timestamp, step: tail.last_step, isNan: Number(tail.last_is_nan), value: tail.last_value };
    let split = 0;
    while (split < points.length && compareHistory(points[split], last) <= 0) split++;
    if (split > 0) {
      // A resent batch (a client retry) repeats stored points: those are duplicates, not disorder.
      const stored = storedKeysFrom(seriesId, points[0].timestamp);
      for (let i = 0; i < split; i++) if (!stored.has(keyOf(points[i]))) return undefined;
    }
    const fresh = points.slice(split);
    if (fresh.length === 0) return 0;
    if (fresh[0].step < last.step) return undefined;
    const count = Number(tail.point_count);
    if (tail.data && count + fresh.length <= MAX_CHUNK) extend(seriesId, BigInt(tail.seq), tail.data, count, fresh);
    else insertAll(seriesId, BigInt(tail.seq) + 1n, fresh);
    return fresh.length;
  }

  /** Every point of a chunked series, for moving it to rows. */
  function* points(seriesId: number): Generator<Omit<MetricPoint, 'key'>> {
    for (const [n, data] of allChunks.all(seriesId)) yield* pointsOf(data, n);
  }

  /** Moves a chunked series to rows (one-off, when a write arrives out of order). */
  function moveToRows(seriesId: number, insertRows: (seriesId: number, points: Omit<MetricPoint, 'key'>[]) => number): void {
    let batch: Omit<MetricPoint, 'key'>[] = [];
    for (const p of points(seriesId)) {
      batch.push(p);
      if (batch.length === 5000) {
        insertRows(seriesId, batch);
        batch = [];
      }
    }
    if (batch.length > 0) insertRows(seriesId, batch);
    deleteChunks.run(seriesId);
    toRows.run(seriesId);
  }

  return { append, moveToRows };
}

export type SqliteChunkWriter = ReturnType<typeof createSqliteChunkWriter>;
