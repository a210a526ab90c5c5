import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Column types the binary COPY encoder writes; each must be the column's exact type (binary COPY does not cast). */
export type CopyType = 'int4' | 'int8' | 'float8' | 'text' | 'bytea';

export interface CopyColumn {
  name: string;
  type: CopyType;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Rows encoded per chunk handed to the COPY stream. */
const ROWS_PER_BUFFER = 1000;

/**
 * `COPY table (columns) FROM STDIN (FORMAT binary)` on `client`, inside whatever transaction it
 * has open. Binary, because chunk blobs then travel as their own bytes (text COPY and bound
 * bytea arrays both send them hex-encoded, twice their size). `rows[i][j]` is column j of row i;
 * null or undefined is SQL NULL.
 */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: CopyColumn[],
  rows: unknown[][],
): Promise<void> {
  const sql = `COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN (FORMAT binary)`;
  await pipeline(Readable.from(encodeBinaryCopy(columns, rows)), client.query(copyFrom(sql)));
}

/** PostgreSQL's binary COPY format: header, one tuple per row (field count, then length + bytes per field), trailer. */
export function* encodeBinaryCopy(columns: CopyColumn[], rows: unknown[][]): Generator<Buffer> {
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header);
  yield header;
  for (let from = 0; from < rows.length; from += ROWS_PER_BUFFER) {
    const parts: Buffer[] = [];
    for (const row of rows.slice(from, from + ROWS_PER_BUFFER)) {
      const count = Buffer.alloc(2);
      count.writeInt16BE(columns.length);
      parts.push(count);
      for (let i = 0; i < columns.length; i++) parts.push(field(columns[i].type, row[i]));
    }
    yield Buffer.concat(parts);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  yield trailer;
}

function field(type: CopyType, value: unknown): Buffer {
  if (value === null || value === undefined) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(-1);
    return b;
  }
  if (type === 'text' || type === 'bytea') {
    const data = type === 'text' ? Buffer.from(String(value), 'utf8') : Buffer.from(value as Uint8Array);
    const len = Buffer.alloc(4);
    len.writeInt32BE(data.length);
    return Buffer.concat([len, data]);
  }
  const size = type === 'int4' ? 4 : 8;
  const b = Buffer.alloc(4 + size);
  b.writeInt32BE(size);
  if (type === 'int4') b.writeInt32BE(Number(value), 4);
  else if (type === 'int8') b.writeBigInt64BE(BigInt(value as number | bigint), 4);
  else b.writeDoubleBE(Number(value), 4);
  return b;
}
