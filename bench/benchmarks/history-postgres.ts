import { createMetricReader, type HistoryCursor, openStore } from '@trove/store';
import pg from 'pg';
import { decodeChunk } from '../../packages/store/src/metrics/point-chunk.ts';
import { log } from '../lib/report.ts';
import { fmtMs, fmtRate, nowMs } from '../lib/stats.ts';
import type { ScanLimit } from './history.ts';

/**
 * historyScanLimit on PostgreSQL, in the bench process with the server stopped: PostgreSQL alone
 * (sum(value) over the series in history order, no rows leave the server); the same SELECT the
 * reader runs with every row handed to JS as arrays (`pg`, rowMode array, one query); and the
 * server's own reader (createMetricReader on a store opened with openStore), 25k pages.
 */
export async function historyScanLimitPg(uri: string, seriesId: number, points: number): Promise<ScanLimit> {
  const c = new pg.Client({ connectionString: uri });
  c.on('error', () => {});
  await c.connect();
  // The series is stored as chunks (seedSeriesPg): PostgreSQL's floor is reading the blobs in
  // order; the client's is receiving them and decoding every point.
  const engine =
    'SELECT sum(point_count) AS n, sum(length(data)) AS s FROM (SELECT point_count, data FROM metric_chunks WHERE series_id = $1 ORDER BY seq) q';
  await c.query(engine, [seriesId]);
  let t0 = nowMs();
  const counted = Number((await c.query<{ n: string }>(engine, [seriesId])).rows[0].n);
  const engineMs = nowMs() - t0;
  if (counted !== points) throw new Error(`engine scan counted ${counted} points, expected ${points}`);
  const scan = {
    text: 'SELECT point_count, data FROM metric_chunks WHERE series_id = $1 ORDER BY seq',
    values: [seriesId],
  };
  const decodeAll = async () => {
    let n = 0;
    for (const r of (await c.query<{ point_count: number; data: Buffer }>(scan)).rows) {
      const chunk = decodeChunk(r.data, r.point_count);
      for (let i = 0; i < r.point_count; i++) chunk.value(i);
      n += r.point_count;
    }
    return n;
  };
  await decodeAll();
  t0 = nowMs();
  const n = await decodeAll();
  const rowsMs = nowMs() - t0;
  await c.end();
  if (n !== points) throw new Error(`scan read ${n} points, expected ${points}`);
  const store = await openStore(uri, { migrate: false, poolSize: 1 });
  const reader = createMetricReader(store);
  t0 = nowMs();
  let read = 0;
  let after: HistoryCursor | undefined;
  for (;;) {
    const rows = await reader.page(seriesId, 25_000, after);
    read += rows.length;
    if (rows.length < 25_000) break;
    const last = rows[rows.length - 1];
    after = { timestamp: last.timestamp, step: last.step, isNan: last.is_nan, value: last.value };
  }
  const readerMs = nowMs() - t0;
  await store.close();
  if (read !== points) throw new Error(`reader read ${read} points, expected ${points}`);
  const limit = { points, engineMs, rowsMs, rowsPerSecond: (points / rowsMs) * 1000, readerMs };
  log(
    `raw-postgres-scan of ${points} points: PostgreSQL alone ${fmtMs(engineMs)}; rows into JS ${fmtMs(rowsMs)} (${fmtRate(limit.rowsPerSecond, 'rows/s')}); store reader in-process, 25k pages: ${fmtMs(readerMs)}`,
  );
  return limit;
}
