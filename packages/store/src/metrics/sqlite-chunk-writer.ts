import type BetterSqlite3 from 'better-sqlite3';
import { type ChunkTail, chunkPoints, historyKeyOf, MIN_CHUNK, planChunkWrite } from './chunk-plan.ts';
import type { MetricPoint } from './metric-point.ts';

type StoredFields = Omit<MetricPoint, 'key'>;

interface TailRow {
  seq: bigint;
  point_count: bigint;
  data: Buffer | null;
  last_timestamp: bigint;
  last_step: bigint;
  last_is_nan: bigint;
  last_value: number;
}

const MIN = BigInt(Number.MIN_SAFE_INTEGER);
const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const narrow = (v: bigint): number | bigint => (v >= MIN && v <= MAX ? Number(v) : v);

/**
 * Carries out chunk plans (`chunk-plan.ts`) on SQLite, inside the caller's transaction. A write
 * the plan refuses moves the series to rows for good.
 */
export function createSqliteChunkWriter(raw: BetterSqlite3.Database) {
  const tailOf = raw
    .prepare<[number], TailRow>(
      `SELECT seq, point_count, last_timestamp, last_step, last_is_nan, last_value, CASE WHEN point_count < ${MIN_CHUNK} THEN data END AS data
       FROM metric_chunks WHERE series_id = ? ORDER BY seq DESC LIMIT 1`,
    )
    .safeIntegers(true);
  const insertChunk = raw.prepare(
    `INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data, summary, summary_count, distinct_steps, distinct_steps_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateChunk = raw.prepare(
    `UPDATE metric_chunks SET point_count = ?, last_timestamp = ?, last_step = ?, last_is_nan = ?, last_value = ?, data = ?, summary = ?, summary_count = ?,
     distinct_steps = ?, distinct_steps_count = ? WHERE series_id = ? AND seq = ?`,
  );
  const chunksInTimestamps = raw
    .prepare<[number, number | bigint, number | bigint], [number, Buffer]>(
      'SELECT point_count, data FROM metric_chunks WHERE series_id = ? AND last_timestamp >= ? AND first_timestamp <= ? ORDER BY last_timestamp, seq',
    )
    .raw(true);
  const allChunks = raw
    .prepare<[number], [number, Buffer]>('SELECT point_count, data FROM metric_chunks WHERE series_id = ? ORDER BY seq')
    .raw(true);
  const deleteChunks = raw.prepare('DELETE FROM metric_chunks WHERE series_id = ?');
  const toRows = raw.prepare('UPDATE metric_series SET layout = 0 WHERE id = ?');

  function tail(seriesId: number): ChunkTail | undefined {
    const t = tailOf.get(seriesId);
    if (!t) return undefined;
    const last = {
      timestamp: narrow(t.last_timestamp),
      step: narrow(t.last_step),
      isNan: Number(t.last_is_nan),
      value: t.last_value,
    };
    return { seq: t.seq, count: Number(t.point_count), data: t.data, last };
  }

  function storedKeysIn(seriesId: number, from: number | bigint, until: number | bigint): Set<string> {
    const keys = new Set<string>();
    for (const [n, data] of chunksInTimestamps.all(seriesId, from, until))
      for (const p of chunkPoints(data, n)) keys.add(historyKeyOf(p));
    return keys;
  }

  /**
   * Stores `points` (already `packable`) after the series' last chunk; returns how many were new,
   * or undefined when they do not fit the chunk order. `empty` skips the tail lookup for a series
   * just created.
   */
  function append(seriesId: number, points: MetricPoint[], empty: boolean): number | undefined {
    const last = empty ? undefined : tail(seriesId);
    let plan = planChunkWrite(points, last);
    if (plan.kind === 'check-duplicates')
      plan = planChunkWrite(points, last, storedKeysIn(seriesId, plan.from, plan.until));
    if (plan.kind !== 'write') return undefined;
    for (const w of plan.writes) {
      const l = w.last;
      if (w.op === 'insert')
        insertChunk.run(
          seriesId,
          w.seq,
          w.count,
          w.first.timestamp,
          w.first.step,
          l.timestamp,
          l.step,
          l.isNan,
          l.value,
          w.data,
          w.summary,
          w.count,
          w.distinctSteps,
          w.count,
        );
      else
        updateChunk.run(
          w.count,
          l.timestamp,
          l.step,
          l.isNan,
          l.value,
          w.data,
          w.summary,
          w.count,
          w.distinctSteps,
          w.count,
          seriesId,
          w.seq,
        );
    }
    return plan.fresh.length;
  }

  /** Moves a chunked series to rows (one-off, when a write arrives out of order). */
  function moveToRows(seriesId: number, insertRows: (seriesId: number, points: StoredFields[]) => number): void {
    for (const [n, data] of allChunks.all(seriesId)) insertRows(seriesId, chunkPoints(data, n));
    deleteChunks.run(seriesId);
    toRows.run(seriesId);
  }

  return { append, moveToRows };
}

export type SqliteChunkWriter = ReturnType<typeof createSqliteChunkWriter>;
