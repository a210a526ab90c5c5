import type BetterSqlite3 from 'better-sqlite3';
import { type MetricPoint, isLater } from './metric-point.ts';

interface SeriesRow {
  id: number;
  value: number;
  is_nan: number;
  step: number | bigint;
  timestamp: number | bigint;
  min_value: number | null;
  max_value: number | null;
  point_count: number;
}

/**
 * The ingest hot path on SQLite: prepared statements in one transaction per call. Points are
 * grouped by key so each series row is read and written once per request, however many points
 * it brings.
 */
export function createSqliteMetricWriter(raw: BetterSqlite3.Database) {
  const selectSeries = raw.prepare<[number, string], SeriesRow>('SELECT id, value, is_nan, step, timestamp, min_value, max_value, point_count FROM metric_series WHERE run_id = ? AND key = ?').safeIntegers(false);
  const insertSeries = raw.prepare<[number, string, number, number, number | bigint, number | bigint], { id: number }>(
    'INSERT INTO metric_series (run_id, key, value, is_nan, step, timestamp, min_value, max_value, point_count) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0) RETURNING id',
  );
  const updateSeries = raw.prepare('UPDATE metric_series SET value = ?, is_nan = ?, step = ?, timestamp = ?, min_value = ?, max_value = ?, point_count = ? WHERE id = ?');
  const insertPoint = raw.prepare(
    'INSERT OR IGNORE INTO metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );

  function writeSeries(runId: number, key: string, points: MetricPoint[]): void {
    let series = selectSeries.get(runId, key);
    if (!series) {
      const first = points[0];
      const { id } = insertSeries.get(runId, key, first.value, first.isNan, first.step, first.timestamp) as { id: number };
      series = { id, value: first.value, is_nan: first.isNan, step: first.step, timestamp: first.timestamp, min_value: null, max_value: null, point_count: 0 };
    }
    let latest = { value: series.value, isNan: series.is_nan, step: series.step, timestamp: series.timestamp };
    let { min_value: min, max_value: max, point_count: count } = series;
    for (const p of points) {
      const changes = insertPoint.run(series.id, p.timestamp, p.step, p.isNan, p.value, p.modelId, p.datasetName, p.datasetDigest).changes;
      if (changes === 0) continue;
      count++;
      if (!p.isNan) {
        if (min === null || p.value < min) min = p.value;
        if (max === null || p.value > max) max = p.value;
      }
      if (count === 1 || isLater(p, latest)) latest = { value: p.value, isNan: p.isNan, step: p.step, timestamp: p.timestamp };
    }
    updateSeries.run(latest.value, latest.isNan, latest.step, latest.timestamp, min, max, count, series.id);
  }

  /** Stores points for one run; exact duplicates are ignored, as MLflow does. */
  const write = raw.transaction((runId: number, points: MetricPoint[]) => {
    const byKey = new Map<string, MetricPoint[]>();
    for (const p of points) {
      const list = byKey.get(p.key);
      if (list) list.push(p);
      else byKey.set(p.key, [p]);
    }
    for (const [key, list] of byKey) writeSeries(runId, key, list);
  });

  return { write };
}

export type SqliteMetricWriter = ReturnType<typeof createSqliteMetricWriter>;
