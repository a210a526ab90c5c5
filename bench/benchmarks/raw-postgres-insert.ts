import { openStore } from '@trove/store';
import pg from 'pg';
import { createBenchDatabase, dropBenchDatabase } from '../lib/postgres.ts';
import { log } from '../lib/report.ts';
import { fmtRate, nowMs } from '../lib/stats.ts';
import type { RawInsertResult } from './raw-sqlite-insert.ts';

const COLUMNS = '(series_id, timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest)';

/**
 * The ingest limit on PostgreSQL, measured as raw-sqlite-insert is: a fresh database migrated by
 * the store's own `openStore` (so the same metric_points table and index DDL), then `rows`
 * `INSERT … ON CONFLICT DO NOTHING` through one prepared statement on one connection, 1000 rows
 * per transaction, `rowsPerStatement` VALUES tuples per statement, same data shape as ingest.
 * The database keeps PostgreSQL's default durability (synchronous_commit on), as the server's
 * database does. No HTTP, no JSON, no validation, no metric_series upkeep.
 */
export async function rawPostgresInsert(
  adminUri: string,
  rows = 1_000_000,
  rowsPerStatement = 1,
  tag = 'raw_',
): Promise<RawInsertResult> {
  if (100 % rowsPerStatement !== 0) throw new Error('rowsPerStatement must divide 100');
  if (rows % 1000 !== 0) throw new Error('rows must be a multiple of 1000');
  const { name, uri } = await createBenchDatabase(adminUri, tag);
  try {
    const store = await openStore(uri, { poolSize: 1 });
    await store.close();
    const c = new pg.Client({ connectionString: uri });
    c.on('error', () => {});
    await c.connect();
    const values = Array.from(
      { length: rowsPerStatement },
      (_, i) => `(${Array.from({ length: 8 }, (_, k) => `$${i * 8 + k + 1}`).join(', ')})`,
    ).join(', ');
    const text = `INSERT INTO metric_points ${COLUMNS} VALUES ${values} ON CONFLICT DO NOTHING`;
    const stmt = `raw_insert_${rowsPerStatement}`;
    const base = Date.UTC(2025, 0, 1);
    const tx = async (r: number) => {
      const client = r % 4;
      const stepBase = Math.floor(r / 4) * 100;
      await c.query('BEGIN');
      for (let k = 0; k < 10; k++) {
        const series = client * 10 + k + 1;
        for (let j = 0; j < 100; j += rowsPerStatement) {
          const args: unknown[] = new Array(rowsPerStatement * 8);
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
          await c.query({ name: stmt, text, values: args });
        }
      }
      await c.query('COMMIT');
    };
    const t0 = nowMs();
    for (let r = 0; r < rows / 1000; r++) await tx(r);
    const ms = nowMs() - t0;
    const count = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM metric_points')).rows[0].n);
    await c.end();
    if (count !== rows) throw new Error(`raw-postgres-insert stored ${count} rows, expected ${rows}`);
    const result = { rows, rowsPerStatement, ms, rowsPerSecond: (rows / ms) * 1000 };
    log(
      `raw-postgres-insert: ${rows} rows, ${rowsPerStatement} per statement, in ${(ms / 1000).toFixed(2)} s → ${fmtRate(result.rowsPerSecond, 'rows/s')}`,
    );
    return result;
  } finally {
    await dropBenchDatabase(adminUri, name);
  }
}
