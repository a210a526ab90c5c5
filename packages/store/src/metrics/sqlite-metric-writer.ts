import type BetterSqlite3 from 'better-sqlite3';
import { foldBatch } from './batch-fold.ts';
import { packable } from './chunk-plan.ts';
import { isLater, type MetricPoint } from './metric-point.ts';
import { createSqliteChunkWriter } from './sqlite-chunk-writer.ts';

interface SeriesRow {
  id: number;
  value: number;
  is_nan: number;
  step: number | bigint;
  timestamp: number | bigint;
  min_value: number | null;
  max_value: number | null;
  point_count: number;
  layout: number;
}

type StoredFields = Omit<MetricPoint, 'key'>;

/** min, max (of non-NaN values) and the latest point of `points` (`foldBatch`) folded into a series' own. */
function foldStats(
  series: Pick<SeriesRow, 'value' | 'is_nan' | 'step' | 'timestamp' | 'min_value' | 'max_value' | 'point_count'>,
  points: StoredFields[],
) {
  const batch = foldBatch(points);
  const stored =
    series.point_count > 0
      ? { value: series.value, isNan: series.is_nan, step: series.step, timestamp: series.timestamp }
      : undefined;
  const { min_value: min, max_value: max } = series;
  return {
    // Of equals, the stored point stays, as PostgreSQL's fold keeps it.
    latest: stored && !isLater(batch.latest, stored) ? stored : batch.latest,
    min: batch.min !== null && (min === null || batch.min < min) ? batch.min : min,
    max: batch.max !== null && (max === null || batch.max > max) ? batch.max : max,
  };
}

/**
 * The ingest hot path on SQLite: prepared statements in one transaction per call. Points are
 * grouped by key so each series row is read and written once per request, however many points
 * it brings.
 */
export function createSqliteMetricWriter(raw: BetterSqlite3.Database) {
  const selectSeries = raw
    .prepare<[number, string], SeriesRow>(
      'SELECT id, value, is_nan, step, timestamp, min_value, max_value, point_count, layout FROM metric_series WHERE run_id = ? AND key = ?',
    )
    .safeIntegers(false);
  const insertSeries = raw.prepare<[number, string, number, number, number | bigint, number | bigint], { id: number }>(
    'INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0) RETURNING id',
  );
  // A new series whose points pack: its final row in one statement, points as one chunk.
  const insertChunkedSeries = raw.prepare<unknown[], { id: number }>(
    'INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count, layout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id',
  );
  const chunks = createSqliteChunkWriter(raw);
  const updateSeries = raw.prepare(
    'UPDATE metric_series SET value = ?, is_nan = ?, step = ?, timestamp = ?, min_value = ?, max_value = ?, point_count = ? WHERE id = ?',
  );
  // Multi-row INSERTs: one statement step per chunk instead of per point. Chunks are a fixed size
  // (plus one statement for the remainder) so only two statements per size are ever prepared.
  const CHUNK = 50;
  const inserts = new Map<number, BetterSqlite3.Statement>();
  const insertStatement = (rows: number) => {
    let st = inserts.get(rows);
    if (!st) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      st = raw.prepare(
        `INSERT OR IGNORE INTO metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest) VALUES ${values}`,
      );
      inserts.set(rows, st);
    }
    return st;
  };

  /** Inserts points of one series, returning how many were new (exact duplicates are ignored). */
  function insertPoints(seriesId: number, points: StoredFields[]): number {
    let inserted = 0;
    for (let i = 0; i < points.length; i += CHUNK) {
      const chunk = points.slice(i, i + CHUNK);
      const args: unknown[] = [];
      for (const p of chunk)
        args.push(seriesId, p.timestamp, p.step, p.isNan, p.value, p.modelId, p.datasetName, p.datasetDigest);
      inserted += insertStatement(chunk.length).run(...args).changes;
    }
    return inserted;
  }

  /** Writes one series' points; true when it created the series. */
  function writeSeries(runId: number, key: string, points: MetricPoint[]): boolean {
    const packed = packable(points);
    let series = selectSeries.get(runId, key);
    const created = !series;
    if (!series && packed) {
      const empty = { value: 0, is_nan: 0, step: 0, timestamp: 0, min_value: null, max_value: null, point_count: 0 };
      const { latest: l, min, max } = foldStats(empty, packed);
      const { id } = insertChunkedSeries.get(
        runId,
        key,
        l.value,
        l.isNan,
        l.step,
        l.timestamp,
        min,
        max,
        packed.length,
      ) as { id: number };
      chunks.append(id, packed, true);
      return true;
    }
    if (!series) {
      const first = points[0];
      const { id } = insertSeries.get(runId, key, first.value, first.isNan, first.step, first.timestamp) as {
        id: number;
      };
      series = {
        id,
        value: first.value,
        is_nan: first.isNan,
        step: first.step,
        timestamp: first.timestamp,
        min_value: null,
        max_value: null,
        point_count: 0,
        layout: 0,
      };
    }
    let inserted: number | undefined;
    if (series.layout === 1) {
      inserted = packed ? chunks.append(series.id, packed, false) : undefined;
      if (inserted === undefined) chunks.moveToRows(series.id, insertPoints);
    }
    if (inserted === undefined) inserted = insertPoints(series.id, points);
    if (inserted === 0) return created;
    // Duplicates can be folded in safely: an exact duplicate equals a stored point, so it moves
    // neither min, max nor the latest point.
    const { latest: l, min, max } = foldStats(series, points);
    updateSeries.run(l.value, l.isNan, l.step, l.timestamp, min, max, series.point_count + inserted, series.id);
    return created;
  }

  /**
   * Stores points for one run; exact duplicates are ignored, as MLflow does. Returns the keys of
   * the series it created (the experiment's key registry needs only those).
   */
  const write = raw.transaction((runId: number, points: MetricPoint[]): string[] => {
    const byKey = new Map<string, MetricPoint[]>();
    for (const p of points) {
      const list = byKey.get(p.key);
      if (list) list.push(p);
      else byKey.set(p.key, [p]);
    }
    const created: string[] = [];
    for (const [key, list] of byKey) if (writeSeries(runId, key, list)) created.push(key);
    return created;
  });

  return { write };
}

export type SqliteMetricWriter = ReturnType<typeof createSqliteMetricWriter>;
