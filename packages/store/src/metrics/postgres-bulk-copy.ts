import type pg from 'pg';
import { type CopyColumn, copyRows } from '../postgres-copy.ts';
import { translatePgError } from '../postgres-store.ts';
import type { ChunkWrite } from './chunk-plan.ts';
import type { MetricPoint } from './metric-point.ts';

type Exec = <R = Record<string, unknown>>(text: string, values: unknown[]) => Promise<R[]>;

/**
 * The COPY side of a large batch's writes: rows go in by binary COPY, into the staging table for
 * what must pass ON CONFLICT, straight into metric_chunks for new chunks (the caller's statement
 * then reads the staging table in place of bound arrays).
 */
export interface BulkCopy {
  /** Row points (→ `POINTS_STAGING`, inserted by the caller's INSERT … SELECT … ON CONFLICT DO NOTHING); undefined: bound arrays. */
  points?(rows: [number, MetricPoint][]): Promise<void>;
  /** New chunk rows, straight into metric_chunks. */
  chunks(rows: [number, ChunkWrite & { op: 'insert' }][]): Promise<void>;
}

export const POINTS_STAGING = 'trove_points_in';

// Per connection, emptied at each commit or rollback; a transaction that never touches them pays
// nothing for them. Stated again in every COPY transaction, in the same round trip as its BEGIN:
// behind PgBouncer in transaction mode the server connection is not the same from one transaction to the next.
const STAGING_DDL = `CREATE TEMP TABLE IF NOT EXISTS ${POINTS_STAGING} (LIKE metric_points) ON COMMIT DELETE ROWS`;

const POINT_COLUMNS: CopyColumn[] = [
  { name: 'series_id', type: 'int4' },
  { name: 'timestamp', type: 'int8' },
  { name: 'step', type: 'int8' },
  { name: 'is_nan', type: 'int4' },
  { name: 'value', type: 'float8' },
  { name: 'model_id', type: 'text' },
  { name: 'dataset_name', type: 'text' },
  { name: 'dataset_digest', type: 'text' },
];

// summary_count and distinct_steps_count are point_count, as in INSERT_CHUNKS.
const CHUNK_COLUMNS: CopyColumn[] = [
  { name: 'series_id', type: 'int4' },
  { name: 'seq', type: 'int4' },
  { name: 'point_count', type: 'int4' },
  { name: 'first_timestamp', type: 'int8' },
  { name: 'first_step', type: 'int8' },
  { name: 'last_timestamp', type: 'int8' },
  { name: 'last_step', type: 'int8' },
  { name: 'last_is_nan', type: 'int4' },
  { name: 'last_value', type: 'float8' },
  { name: 'data', type: 'bytea' },
  { name: 'summary', type: 'bytea' },
  { name: 'summary_count', type: 'int4' },
  { name: 'distinct_steps', type: 'int4' },
  { name: 'distinct_steps_count', type: 'int4' },
];

/**
 * Runs `fn` in a transaction on a client of its own from `pool` (Kysely does not hand out the
 * driver's client, and COPY needs it), with the same error translation as Kysely's connections.
 * Resolves only after COMMIT returns, so the caller acknowledges durable data.
 */
export async function inCopyTransaction(
  pool: pg.Pool,
  fn: (exec: Exec, copy: BulkCopy) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const exec: Exec = async <R>(text: string, values: unknown[]) => {
      try {
        return (await client.query(text, values)).rows as R[];
      } catch (e) {
        throw translatePgError(e);
      }
    };
    try {
      await client.query(`BEGIN;\n${STAGING_DDL}`);
      await fn(exec, bulkCopyOn(client));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      throw translatePgError(e);
    }
  } finally {
    client.release(broken);
  }
}

function bulkCopyOn(client: pg.PoolClient): BulkCopy {
  const point = ([id, p]: [number, MetricPoint]) => [id, p.timestamp, p.step, p.isNan, p.value];
  return {
    points: (rows) =>
      copyRows(
        client,
        POINTS_STAGING,
        POINT_COLUMNS,
        rows.map((r) => [...point(r), r[1].modelId, r[1].datasetName, r[1].datasetDigest]),
      ),
    chunks: (rows) =>
      copyRows(
        client,
        'metric_chunks',
        CHUNK_COLUMNS,
        rows.map(([s, w]) => [
          s,
          w.seq,
          w.count,
          w.first.timestamp,
          w.first.step,
          w.last.timestamp,
          w.last.step,
          w.last.isNan,
          w.last.value,
          w.data,
          w.summary,
          w.count,
          w.distinctSteps,
          w.count,
        ]),
      ),
  };
}
