import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '@trove/store';
import { log } from '../lib/report.ts';
import { fmtRate, nowMs } from '../lib/stats.ts';

export interface RawInsertResult {
  rows: number;
  ms: number;
  rowsPerSecond: number;
}

/**
 * The ingest limit: a fresh file DB opened by the store's own `openStore` (same pragmas: WAL,
 * synchronous NORMAL, cache/temp settings; same migrations, hence the same metric_points table
 * and index DDL), then `rows` inserts with the metric writer's own INSERT statement, 1000 rows per
 * transaction. Rows have the shape the ingest benchmark sends: 4 runs × 10 keys, 100 steps per key
 * per transaction. No HTTP, no JSON, no validation, no metric_series upkeep.
 */
export async function rawSqliteInsert(dir: string, rows = 1_000_000): Promise<RawInsertResult> {
  const path = join(dir, 'raw-insert.db');
  const store = await openStore(path);
  const raw = store.sqlite;
  if (!raw) throw new Error('raw-sqlite-insert needs the SQLite backend');
  const insert = raw.prepare(
    'INSERT OR IGNORE INTO metric_points (series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const base = Date.UTC(2025, 0, 1);
  // Transaction r is request r of the ingest benchmark: client r % 4, its (r / 4)-th request.
  const tx = raw.transaction((r: number) => {
    const client = r % 4;
    const stepBase = Math.floor(r / 4) * 100;
    for (let k = 0; k < 10; k++) {
      const series = client * 10 + k + 1;
      for (let j = 0; j < 100; j++) {
        const step = stepBase + j;
        insert.run(series, base + step, step, 0, Math.random(), null, null, null);
      }
    }
  });
  const t0 = nowMs();
  for (let r = 0; r < rows / 1000; r++) tx(r);
  const ms = nowMs() - t0;
  const count = (raw.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number }).n;
  await store.close();
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  if (count !== rows) throw new Error(`raw-sqlite-insert stored ${count} rows, expected ${rows}`);
  const result = { rows, ms, rowsPerSecond: (rows / ms) * 1000 };
  log(`raw-sqlite-insert: ${rows} rows in ${(ms / 1000).toFixed(2)} s → ${fmtRate(result.rowsPerSecond, 'rows/s')}`);
  return result;
}
