import type { CtePart } from '../postgres-cte.ts';
import { type ChunkTail, type ChunkWrite, chunkPoints, historyKeyOf, MIN_CHUNK, planChunkWrite } from './chunk-plan.ts';
import type { MetricPoint } from './metric-point.ts';
import type { BulkCopy } from './postgres-bulk-copy.ts';

type Exec = <R = Record<string, unknown>>(text: string, values: unknown[]) => Promise<R[]>;

/**
 * Per existing chunked series: whether it also holds rows (written by a replica of the previous
 * release during a rolling upgrade) and its tail chunk, in one round trip.
 */
const TAILS = `SELECT s.id AS series_id, EXISTS (SELECT 1 FROM metric_points p WHERE p.series_id = s.id) AS mixed,
  t.seq, t.point_count, t.last_timestamp, t.last_step, t.last_is_nan, t.last_value, t.data
FROM unnest($1::int8[]) AS s(id)
LEFT JOIN LATERAL (SELECT seq, point_count, last_timestamp, last_step, last_is_nan, last_value,
  CASE WHEN point_count < ${MIN_CHUNK} THEN data END AS data
  FROM metric_chunks c WHERE c.series_id = s.id ORDER BY seq DESC LIMIT 1) t ON true`;

// summary_count and distinct_steps_count are point_count: both always describe the points written with them.
// Chunk blobs travel as one binary parameter each (data, summaries) sliced by offset and length:
// a bound bytea[] goes as hex text, twice the bytes, encoded by pg and decoded by PostgreSQL.
const INSERT_CHUNKS = `chunks_inserted AS (INSERT INTO metric_chunks (series_id, seq, point_count, first_timestamp, first_step, last_timestamp, last_step, last_is_nan, last_value, data, summary, summary_count, distinct_steps, distinct_steps_count)
SELECT s, q, n, ft, fs, lt, ls, ln, lv, substring($10::bytea FROM d_at FOR d_len), substring($11::bytea FROM sm_at FOR sm_len), n, ds, n
FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::int4[], $9::float8[], $12::int4[], $13::int4[], $14::int4[], $15::int4[], $16::int4[]) AS u(s, q, n, ft, fs, lt, ls, ln, lv, d_at, d_len, sm_at, sm_len, ds))`;

const UPDATE_CHUNKS = `chunks_updated AS (UPDATE metric_chunks c SET point_count = u.n, last_timestamp = u.lt, last_step = u.ls, last_is_nan = u.ln, last_value = u.lv,
  data = substring($8::bytea FROM u.d_at FOR u.d_len), summary = substring($9::bytea FROM u.sm_at FOR u.sm_len), summary_count = u.n,
  distinct_steps = u.ds, distinct_steps_count = u.n
FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::int8[], $5::int8[], $6::int4[], $7::float8[], $10::int4[], $11::int4[], $12::int4[], $13::int4[], $14::int4[]) AS u(s, q, n, lt, ls, ln, lv, d_at, d_len, sm_at, sm_len, ds)
WHERE c.series_id = u.s AND c.seq = u.q)`;

/** Buffers as one binary parameter, with each one's 1-based start and length in it. */
function packBytes(buffers: Buffer[]): { bytes: Buffer; at: number[]; len: number[] } {
  const at: number[] = [];
  let offset = 1;
  for (const b of buffers) {
    at.push(offset);
    offset += b.length;
  }
  return { bytes: Buffer.concat(buffers), at, len: buffers.map((b) => b.length) };
}

/** The chunks' data and summaries as the statements bind them: both blobs, then each one's starts and lengths. */
function blobValues(writes: [number, ChunkWrite][]): unknown[] {
  const data = packBytes(writes.map(([, w]) => w.data));
  const summaries = packBytes(writes.map(([, w]) => w.summary));
  return [data.bytes, summaries.bytes, data.at, data.len, summaries.at, summaries.len];
}

interface TailRow {
  series_id: number | bigint;
  mixed: boolean;
  seq: number | bigint | null;
  point_count: number;
  last_timestamp: number | bigint;
  last_step: number | bigint;
  last_is_nan: number;
  last_value: number;
  data: Buffer | null;
}

type StoredFields = Omit<MetricPoint, 'key'>;

/** What `planChunks` decided: per series the new points (undefined: goes to rows), and the chunk rows to write. */
export interface ChunkPlans {
  out: Map<number, MetricPoint[] | undefined>;
  /** The chunk inserts and tail rewrites as CTEs for the caller's write statement (none when nothing to write). */
  parts: CtePart[];
}

/**
 * Chunk writes on PostgreSQL (plans from `chunk-plan.ts`), for series rows the caller has locked:
 * every series' tail in one query; every new or rewritten chunk in one array-bound CTE each, which
 * the caller runs in the same statement as the series upkeep. Returns, per series, the points that
 * were new, or undefined for series whose write must go to rows (the caller moves them with
 * `moveToRows`). With `copy` (a large batch) the new chunks are written here, by COPY.
 */
export async function planChunks(
  exec: Exec,
  batches: Map<number, MetricPoint[]>,
  created: Set<number>,
  copy?: BulkCopy,
): Promise<ChunkPlans> {
  const existing = [...batches.keys()].filter((id) => !created.has(id));
  const tails = new Map<number, ChunkTail>();
  const out = new Map<number, MetricPoint[] | undefined>();
  if (existing.length > 0) {
    for (const t of await exec<TailRow>(TAILS, [existing])) {
      const id = Number(t.series_id);
      // Rows in a chunked series: such a series moves to rows, where both releases see every point.
      if (t.mixed) out.set(id, undefined);
      else if (t.seq !== null) {
        const last = {
          timestamp: t.last_timestamp,
          step: t.last_step,
          isNan: Number(t.last_is_nan),
          value: t.last_value,
        };
        tails.set(id, { seq: BigInt(t.seq), count: Number(t.point_count), data: t.data, last });
      }
    }
  }
  const inserts: [number, ChunkWrite & { op: 'insert' }][] = [];
  const updates: [number, ChunkWrite & { op: 'update' }][] = [];
  for (const [seriesId, points] of batches) {
    if (out.has(seriesId)) continue;
    const tail = tails.get(seriesId);
    let plan = planChunkWrite(points, tail);
    if (plan.kind === 'check-duplicates')
      plan = planChunkWrite(points, tail, await storedKeysIn(exec, seriesId, plan.from, plan.until));
    if (plan.kind !== 'write') {
      out.set(seriesId, undefined);
      continue;
    }
    out.set(seriesId, plan.fresh);
    for (const w of plan.writes) {
      if (w.op === 'insert') inserts.push([seriesId, w]);
      else updates.push([seriesId, w]);
    }
  }
  const parts: CtePart[] = [];
  if (inserts.length > 0 && copy) await copy.chunks(inserts);
  else if (inserts.length > 0) {
    parts.push({
      ctes: INSERT_CHUNKS,
      values: [
        inserts.map(([s]) => s),
        inserts.map(([, w]) => w.seq),
        inserts.map(([, w]) => w.count),
        inserts.map(([, w]) => w.first.timestamp),
        inserts.map(([, w]) => w.first.step),
        inserts.map(([, w]) => w.last.timestamp),
        inserts.map(([, w]) => w.last.step),
        inserts.map(([, w]) => w.last.isNan),
        inserts.map(([, w]) => w.last.value),
        ...blobValues(inserts),
        inserts.map(([, w]) => w.distinctSteps),
      ],
    });
  }
  if (updates.length > 0) {
    parts.push({
      ctes: UPDATE_CHUNKS,
      values: [
        updates.map(([s]) => s),
        updates.map(([, w]) => w.seq),
        updates.map(([, w]) => w.count),
        updates.map(([, w]) => w.last.timestamp),
        updates.map(([, w]) => w.last.step),
        updates.map(([, w]) => w.last.isNan),
        updates.map(([, w]) => w.last.value),
        ...blobValues(updates),
        updates.map(([, w]) => w.distinctSteps),
      ],
    });
  }
  return { out, parts };
}

async function storedKeysIn(
  exec: Exec,
  seriesId: number,
  from: number | bigint,
  until: number | bigint,
): Promise<Set<string>> {
  const rows = await exec<{ point_count: number; data: Buffer }>(
    'SELECT point_count, data FROM metric_chunks WHERE series_id = $1 AND last_timestamp >= $2 AND first_timestamp <= $3 ORDER BY last_timestamp, seq',
    [seriesId, from, until],
  );
  const keys = new Set<string>();
  for (const r of rows) for (const p of chunkPoints(r.data, r.point_count)) keys.add(historyKeyOf(p));
  return keys;
}

/** Moves chunked series to rows for good (a write arrived out of order). */
export async function moveToRows(
  exec: Exec,
  seriesIds: number[],
  insertRows: (seriesId: number, points: StoredFields[]) => Promise<void>,
): Promise<void> {
  for (const seriesId of seriesIds) {
    const rows = await exec<{ point_count: number; data: Buffer }>(
      'SELECT point_count, data FROM metric_chunks WHERE series_id = $1 ORDER BY seq',
      [seriesId],
    );
    for (const r of rows) await insertRows(seriesId, chunkPoints(r.data, r.point_count));
  }
  await exec('DELETE FROM metric_chunks WHERE series_id = ANY($1::int8[])', [seriesIds]);
  await exec('UPDATE metric_series SET layout = 0 WHERE id = ANY($1::int8[])', [seriesIds]);
}
