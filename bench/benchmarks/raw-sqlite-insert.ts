import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '@trove/store';
import { log } from '../lib/report.ts';
import { fmtRate, nowMs } from '../lib/stats.ts';

export interface RawInsertResult {
  rows: number;
  /** Rows per INSERT statement execution (1, or a multi-row VALUES list like the writer's). */
  rowsPerStatement: number;
  ms: number;
  rowsPerSecond: number;
}

const COLUMNS = '(series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest)';

/**
 * The ingest limit: a fresh file DB opened by the store's own `openStore` (same pragmas: WAL,
 * synchronous NORMAL, cache/temp settings; same migrations, hence the same metric_points table
 * and index DDL), then `rows` INSERT OR IGNOREs through one prepared statement, 1000 rows per
 * transaction. With `rowsPerStatement` > 1 the statement carries that many VALUES tuples (as the
 * server's writer does), so the limit is not beaten by a batching trick. Rows have the shape the
 * ingest benchmark sends: 4 runs × 10 keys, 100 steps per key per transaction. No HTTP, no JSON,
 * no validation, no metric_series upkeep.
 */
export async function rawSqliteInsert(dir: string, rows = 1_000_000, rowsPerStatement = 1): Promise<RawInsertResult> {
  if (100 % rowsPerStatement !== 0) throw new Error('rowsPerStatement must divide 100');
  const path = join(dir, `raw-insert-${rowsPerStatement}.db`);
  const store = await openStore(path);
  const raw = store.sqlite;
  if (!raw) throw new Error('raw-sqlite-insert needs the SQLite backend');
  const values = Array.from({ length: rowsPerStatement }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const insert = raw.prepare(`INSERT OR IGNORE INTO metric_points ${COLUMNS} VALUES ${values}`);
  const base = Date.UTC(2025, 0, 1);
  const args: unknown[] = new Array(rowsPerStatement * 8);
  // Transaction r is request r of the ingest benchmark: client r % 4, its (r / 4)-th request.
  const tx = raw.transaction((r: number) => {
    const client = r % 4;
    const stepBase = Math.floor(r / 4) * 100;
    for (let k = 0; k < 10; k++) {
      const series = client * 10 + k + 1;
      for (let j = 0; j < 100; j += rowsPerStatement) {
        for (let i = 0; i < rowsPerStatement; i++) {
          const step = stepBase + j + i;
          const o = i * 8;
          args[o] = series;
          args[o + 1] = base + step;
          args[o + 2] = step;
          args[o + 3] = 0;
          args[o + 4] = Math.random();
          args[o + 5] = null;
          args[o + 6] = null;
          args[o + 7] = null;
        }
        insert.run(...args);
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
  const result = { rows, rowsPerStatement, ms, rowsPerSecond: (rows / ms) * 1000 };
  log(
    `raw-sqlite-insert: ${rows} rows, ${rowsPerStatement} per statement, in ${(ms / 1000).toFixed(2)} s → ${fmtRate(result.rowsPerSecond, 'rows/s')}`,
  );
  return result;
}
