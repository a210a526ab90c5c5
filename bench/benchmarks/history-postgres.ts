import { createMetricReader, type HistoryCursor, openStore } from '@trove/store';
import pg from 'pg';
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
  const order = 'ORDER BY timestamp, step, is_nan, value';
  const engine = `SELECT count(*) AS n, sum(value) AS s FROM (SELECT value FROM metric_points WHERE series_id = $1 ${order}) q`;
  await c.query(engine, [seriesId]);
  let t0 = nowMs();
  const counted = Number((await c.query<{ n: string }>(engine, [seriesId])).rows[0].n);
  const engineMs = nowMs() - t0;
  if (counted !== points) throw new Error(`engine scan counted ${counted} points, expected ${points}`);
  const scan = {
    text: `SELECT timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest FROM metric_points WHERE series_id = $1 ${order}`,
    values: [seriesId],
    rowMode: 'array' as const,
  };
  await c.query(scan);
  t0 = nowMs();
  const n = (await c.query(scan)).rows.length;
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
