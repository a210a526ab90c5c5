import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '@trove/store';
import { expectOk, type HttpClient } from '../lib/client.ts';
import { fmtMs, fmtRate, measureLatency, type Summary, summarize } from '../lib/stats.ts';

export interface RawInsertLimit {
  table: string;
  rows: number;
  rowsPerStatement: number;
  bytesPerRow: number;
  rowsPerSecond: number;
}

/**
 * SQLite's own insert rate for rows as wide as `table`'s: a scratch copy of its columns (no
 * indexes, no constraints) in a fresh file opened by the store's `openStore` (same pragmas), filled
 * through one prepared multi-row INSERT, 5000 rows per transaction. No JSON, no HTTP, no Kysely.
 */
export async function rawInsertLimit(
  dir: string,
  table: 'traces' | 'trace_spans',
  row: () => unknown[],
  rows = 200_000,
  rowsPerStatement = 50,
): Promise<RawInsertLimit> {
  const path = join(dir, `raw-${table}.db`);
  const store = await openStore(path);
  const raw = store.sqlite;
  if (!raw) throw new Error('the raw insert limit needs SQLite');
  raw.exec(`CREATE TABLE scratch AS SELECT * FROM ${table} WHERE 0`);
  const width = row().length;
  const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  const insert = raw.prepare(`INSERT INTO scratch VALUES ${Array.from({ length: rowsPerStatement }, () => tuple)}`);
  const sample = Array.from({ length: rowsPerStatement }, row);
  const args = sample.flat();
  const bytesPerRow =
    sample.flat().reduce<number>((n, v) => n + (typeof v === 'string' ? Buffer.byteLength(v) : 8), 0) /
    rowsPerStatement;
  const perTx = 5000;
  const tx = raw.transaction(() => {
    for (let i = 0; i < perTx; i += rowsPerStatement) insert.run(args);
  });
  const t0 = performance.now();
  for (let done = 0; done < rows; done += perTx) tx();
  const ms = performance.now() - t0;
  await store.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return { table, rows, rowsPerStatement, bytesPerRow, rowsPerSecond: (rows / ms) * 1000 };
}

export function formatRawInsert(r: RawInsertLimit): string {
  return `raw SQLite insert, ${r.table} width (${r.bytesPerRow.toFixed(0)} B/row, ${r.rowsPerStatement} rows/INSERT): ${fmtRate(r.rowsPerSecond, 'rows/s')}`;
}

/** p50 of a GET that does next to nothing on the server (its `/health`): the HTTP floor of that server. */
export async function roundTrip(client: HttpClient, path: string): Promise<Summary> {
  const m = await measureLatency(async () => expectOk(await client.request('GET', path), path), {
    warmup: 200,
    n: 2000,
    budgetMs: 15_000,
  });
  return summarize(m.samples);
}

export const fmtRoundTrip = (s: Summary) => `p50 ${fmtMs(s.p50)} (p95 ${fmtMs(s.p95)})`;
