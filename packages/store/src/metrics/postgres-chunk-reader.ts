import { ChunkPage } from './chunk-page.ts';
import { MAX_CHUNK } from './chunk-plan.ts';
import { firstStepAtOrAfter, pointAt } from './chunk-points.ts';
import {
  type ChunkPiece,
  chunkPieces,
  chunkStepMeta,
  densePiece,
  MAX_STEP,
  type SeriesSteps,
  SHARED_STEPS_SQL,
  STEP_TOTALS_SQL,
  stepsWithin,
  unknownCounts,
} from './chunk-steps.ts';
import type { HistoryColumns, HistoryCursor, StoredPoint } from './metric-reader.ts';
import { clampSteps, sampleTargets } from './metric-reader.ts';
import { type DecodedChunk, decodeChunk } from './point-chunk.ts';

type Query = <R>(text: string, values: unknown[]) => Promise<R[]>;

interface ChunkRow {
  seq: number | bigint;
  point_count: number;
  data: Buffer;
}

/** Chunks fetched per round trip while paging history (256 points each at most). */
const BATCH = 128;

/**
 * Reads chunked series on PostgreSQL: the same order invariant as on SQLite (chunks in history
 * order, steps never decreasing), so a history page starts at one index seek and a sampled step
 * is one LATERAL seek per target, all targets in one query.
 */
export function createPostgresChunkReader(query: Query) {
  /** The chunks of one history page, as ChunkPage slices. */
  async function gather(
    series: number,
    limit: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<ChunkPage> {
    const out = new ChunkPage(limit ?? Number.POSITIVE_INFINITY, after);
    if (out.full) return out;
    let from: bigint | undefined = 0n;
    if (after) {
      const [start] = await query<{ seq: number | bigint }>(
        'SELECT seq FROM metric_chunks WHERE series_id = $1 AND last_timestamp >= $2::int8 ORDER BY last_timestamp, seq LIMIT 1',
        [series, after.timestamp],
      );
      from = start === undefined ? undefined : BigInt(start.seq);
    }
    let chunks = 0;
    while (from !== undefined) {
      // As many chunks as the rest of the page needs at the points per chunk seen so far (full ones
      // at first), one more for the part of the first that lies before the cursor: a 25k page of
      // full chunks reads 99, not BATCH.
      const perChunk = chunks > 0 ? out.count / chunks : MAX_CHUNK;
      const want = Math.min(BATCH, Math.ceil((out.max - out.count) / Math.max(1, perChunk)) + 1);
      const rows = await query<ChunkRow>(
        'SELECT seq, point_count, data FROM metric_chunks WHERE series_id = $1 AND seq >= $2::int8 ORDER BY seq LIMIT $3',
        [series, from, want],
      );
      for (const r of rows) if (out.add(r.point_count, r.data)) return out;
      chunks += rows.length;
      from = rows.length === want ? BigInt(rows[rows.length - 1].seq) + 1n : undefined;
    }
    return out;
  }

  async function page(
    series: number,
    limit: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<StoredPoint[]> {
    return (await gather(series, limit, after)).points();
  }

  async function columns(
    series: number,
    limit: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<HistoryColumns> {
    return (await gather(series, limit, after)).columns();
  }

  async function sampleSteps(series: number, count: number, start?: bigint, end?: bigint): Promise<bigint[]> {
    const [range] = await query<{ lo: number | bigint | null; hi: number | bigint | null }>(
      `SELECT (SELECT first_step FROM metric_chunks WHERE series_id = $1 ORDER BY seq LIMIT 1) AS lo,
              (SELECT last_step FROM metric_chunks WHERE series_id = $1 ORDER BY seq DESC LIMIT 1) AS hi`,
      [series],
    );
    const bounds = clampSteps(range, start, end);
    if (!bounds) return [];
    const { lo, hi } = bounds;
    const targets = sampleTargets(lo, hi, count);
    const found = await query<{
      target: number | bigint;
      seq: number | bigint;
      point_count: number;
      first_step: number | bigint;
      last_step: number | bigint;
    }>(
      `SELECT t.target, f.seq, f.point_count, f.first_step, f.last_step FROM unnest($2::int8[]) AS t(target)
       CROSS JOIN LATERAL (SELECT seq, point_count, first_step, last_step FROM metric_chunks WHERE series_id = $1 AND last_step >= t.target ORDER BY last_step, seq LIMIT 1) f`,
      [series, targets],
    );
    const steps = new Set<bigint>();
    const needData: { target: bigint; seq: bigint }[] = [];
    for (const f of found) {
      const target = BigInt(f.target);
      const first = BigInt(f.first_step);
      if (first >= target) steps.add(first);
      // Steps first..last each present once: the target itself is there.
      else if (BigInt(f.last_step) - first + 1n === BigInt(f.point_count)) steps.add(target);
      else needData.push({ target, seq: BigInt(f.seq) });
    }
    if (needData.length > 0) {
      const chunks = await chunksBySeq(series, [...new Set(needData.map((n) => n.seq))]);
      for (const n of needData) {
        const c = chunks.get(n.seq) as DecodedChunk;
        const i = firstStepAtOrAfter(c, n.target);
        if (i < c.length) steps.add(BigInt(c.step(i)));
      }
    }
    return [...steps]
      .filter((s) => s <= hi)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, count);
  }

  async function chunksBySeq(series: number, seqs: bigint[]): Promise<Map<bigint, DecodedChunk>> {
    const rows = await query<ChunkRow>(
      'SELECT seq, point_count, data FROM metric_chunks WHERE series_id = $1 AND seq = ANY($2::int8[])',
      [series, seqs],
    );
    return new Map(rows.map((r) => [BigInt(r.seq), decodeChunk(r.data, r.point_count)]));
  }

  /**
   * Every point at the given steps, by step then history order. A step inside a dense chunk (each
   * step of first..last once) is the point at index step - first: its timestamp and value come
   * as two 8-byte slices of the blob, not the blob (321 steps of a 1M-point series: 4 ms, where
   * reading their chunks took 20). Other steps (a sparse chunk, a step that may run on into the
   * next chunk) read whole chunks.
   */
  async function atSteps(series: number, steps: bigint[]): Promise<StoredPoint[]> {
    if (steps.length === 0) return [];
    const sorted = [...new Set(steps)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const found = await query<{
      target: number | bigint;
      seq: number | bigint;
      ts: Buffer | null;
      v: Buffer | null;
    }>(AT_STEPS_SQL, [series, sorted, -MAX_EXACT, MAX_EXACT]);
    const at = new Map<bigint, StoredPoint[]>();
    const start = new Map<bigint, bigint>();
    for (const f of found) {
      const target = BigInt(f.target);
      if (f.ts && f.v) {
        const value = f.v.readDoubleLE(0);
        const nan = Number.isNaN(value);
        at.set(target, [
          {
            timestamp: f.ts.readDoubleLE(0),
            step: Number(target),
            is_nan: nan ? 1 : 0,
            value: nan ? 0 : value,
            model_id: null,
            dataset_name: null,
            dataset_digest: null,
          },
        ]);
      } else start.set(target, BigInt(f.seq));
    }
    const chunks = start.size > 0 ? await chunksBySeq(series, [...new Set(start.values())]) : new Map();
    for (const [step, first] of start) {
      const points: StoredPoint[] = [];
      let seq: bigint | undefined = first;
      while (seq !== undefined) {
        let c = chunks.get(seq);
        if (!c) {
          const more = await chunksBySeq(series, [seq]);
          c = more.get(seq);
          if (!c) break;
          chunks.set(seq, c);
        }
        for (let i = firstStepAtOrAfter(c, step); i < c.length && !(c.step(i) > step); i++) points.push(pointAt(c, i));
        // The step may go on in the next chunk only if this chunk ends on it.
        seq = c.length > 0 && !(c.step(c.length - 1) > step) && !(c.step(c.length - 1) < step) ? seq + 1n : undefined;
      }
      at.set(step, points);
    }
    return sorted.flatMap((step) => at.get(step) ?? []);
  }

  /** The series' first and last step: its first and last chunk's. */
  async function stepRange(series: number): Promise<{ lo: bigint; hi: bigint } | undefined> {
    const [range] = await query<{ lo: number | bigint | null; hi: number | bigint | null }>(
      `SELECT (SELECT first_step FROM metric_chunks WHERE series_id = $1 ORDER BY seq LIMIT 1) AS lo,
              (SELECT last_step FROM metric_chunks WHERE series_id = $1 ORDER BY seq DESC LIMIT 1) AS hi`,
      [series],
    );
    return range && range.lo !== null && range.hi !== null ? { lo: BigInt(range.lo), hi: BigInt(range.hi) } : undefined;
  }

  /**
   * The series' distinct steps up to `end` in pieces (chunk-steps.ts), from chunk metadata
   * (metric_chunks_step_counts). A series holding every step of its range answers from two
   * aggregates; others list their chunks' metadata.
   */
  async function stepPieces(series: number, end?: bigint): Promise<SeriesSteps | undefined> {
    const bound = end ?? MAX_STEP;
    const int = (v: number | bigint | string | null) => (v === null ? null : BigInt(v));
    // The shared-step count is asked beside the totals, not after them: most series are dense,
    // and on one that is not, the chunk list read next costs more than the count.
    const [range, [t], [{ shared }]] = await Promise.all([
      stepRange(series),
      query<{
        chunks: number | bigint | string;
        distinct_sum: number | bigint | string | null;
        lo: number | bigint | null;
        hi: number | bigint | null;
        known: number | bigint | string | null;
      }>(STEP_TOTALS_SQL, [series, bound]),
      query<{ shared: number | bigint | string }>(SHARED_STEPS_SQL, [series, bound]),
    ]);
    if (!range) return undefined;
    const totals = {
      chunks: BigInt(t.chunks),
      distinct: int(t.distinct_sum),
      lo: int(t.lo),
      hi: int(t.hi),
      known: int(t.known) ?? 0n,
    };
    const dense = densePiece(totals, BigInt(shared));
    if (dense) return { lo: range.lo, hi: range.hi, pieces: [dense] };
    const rows = await query<{
      seq: number | bigint;
      point_count: number;
      first_step: number | bigint;
      last_step: number | bigint;
      distinct_steps: number | null;
      distinct_steps_count: number | null;
    }>(
      'SELECT seq, point_count, first_step, last_step, distinct_steps, distinct_steps_count FROM metric_chunks WHERE series_id = $1 AND first_step <= $2::int8 ORDER BY first_step, seq',
      [series, bound],
    );
    const metas = rows.map(chunkStepMeta);
    const unknown = unknownCounts(metas).map((m) => m.seq);
    const decoded = new Map<bigint, DecodedChunk>();
    for (let i = 0; i < unknown.length; i += UNKNOWN_BATCH)
      for (const [seq, c] of await chunksBySeq(series, unknown.slice(i, i + UNKNOWN_BATCH))) decoded.set(seq, c);
    return { lo: range.lo, hi: range.hi, pieces: chunkPieces(series, metas, decoded) };
  }

  /** The steps of chunk pieces of `series`, each within its [lo, hi] (a tail grown since lies past `hi`). */
  async function pieceSteps(series: number, pieces: ChunkPiece[]): Promise<bigint[][]> {
    const seqs = [...new Set(pieces.map((p) => p.chunk.seq))];
    const found = new Map<bigint, DecodedChunk>();
    for (let i = 0; i < seqs.length; i += UNKNOWN_BATCH)
      for (const [seq, c] of await chunksBySeq(series, seqs.slice(i, i + UNKNOWN_BATCH))) found.set(seq, c);
    return pieces.map((p) => {
      const c = found.get(p.chunk.seq);
      if (!c) throw new Error(`chunk ${p.chunk.seq} of series ${series} is gone`);
      return stepsWithin(c, p.lo, p.hi);
    });
  }

  return { page, columns, sampleSteps, atSteps, stepPieces, pieceSteps };
}

/** Blobs read per round trip when chunks must be decoded to list their steps. */
const UNKNOWN_BATCH = 256;

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * For each target step ($2, ascending), the first chunk whose last step is at or past it, and, when
 * that chunk holds the step once at a known index, the point's timestamp and value bytes (`ts`,
 * `v`): the chunk is dense (steps first..last, each once), and the step is not its last, or the
 * next chunk does not start on it. Such a chunk stores float64 columns when its first and last
 * timestamp and step are exact ($3..$4): timestamps and steps never decrease within a chunk. The
 * arithmetic waits behind that CASE: int64 steps near ±2^63 would overflow it.
 */
const AT_STEPS_SQL = `SELECT t.target, f.seq,
  CASE WHEN f.fast THEN substring(f.data FROM (9 + 8 * (t.target - f.first_step))::int FOR 8) END AS ts,
  CASE WHEN f.fast THEN substring(f.data FROM (9 + 8 * (2 * f.point_count + t.target - f.first_step))::int FOR 8) END AS v
FROM unnest($2::int8[]) AS t(target)
CROSS JOIN LATERAL (
  SELECT c.seq, c.point_count, c.first_step, c.data,
    CASE WHEN c.first_timestamp >= $3::int8 AND c.last_timestamp <= $4::int8 AND c.first_step >= $3::int8
      AND c.last_step <= $4::int8 AND c.first_step <= t.target
    THEN c.last_step - c.first_step + 1 = c.point_count AND (t.target < c.last_step OR NOT EXISTS (
      SELECT 1 FROM metric_chunks n WHERE n.series_id = $1 AND n.seq = c.seq + 1 AND n.first_step = t.target))
    ELSE false END AS fast
  FROM metric_chunks c WHERE c.series_id = $1 AND c.last_step >= t.target ORDER BY c.last_step, c.seq LIMIT 1
) f`;
