import { type DecodedChunk, decodeChunk } from './point-chunk.ts';

/**
 * A series' distinct steps described without listing them (migration 0012): per chunk, its first
 * and last step and how many distinct steps it holds. Steps never decrease along a series' chunks,
 * so chunks overlap at most on a shared boundary step, and a chunk whose distinct steps number
 * `last - first + 1` holds every step of that range. MLflow's step choice for
 * `get-history-bulk-interval` (server `services/mlflow-step-sampling.ts`) counts and indexes the
 * union of the runs' distinct steps over these pieces, decoding only chunks it must look into.
 */

/** Some of a series' distinct steps. */
export interface StepPiece {
  /** Every step of the piece lies in [lo, hi] (lo and hi need not be steps). */
  lo: bigint;
  hi: bigint;
  /** How many distinct steps it holds: every step of lo..hi when `count` is `hi - lo + 1`. */
  count: number;
  /** Its steps, ascending, when listed already (row series; chunks decoded to count them). */
  steps?: bigint[];
  /** Otherwise the chunk that holds them (`MetricReader.pieceSteps` reads them); a dense piece may span several. */
  chunk?: { series: number; seq: bigint; points: number };
}

/** A piece whose steps are read from its chunk. */
export type ChunkPiece = StepPiece & { chunk: NonNullable<StepPiece['chunk']> };

/** A series' distinct steps up to some bound, in pieces, and its first and last step overall. */
export interface SeriesSteps {
  lo: bigint;
  hi: bigint;
  /**
   * Every step of the series up to the bound asked for (the last pieces may go past it), by `lo`.
   * A series' chunk pieces are disjoint; a PostgreSQL series that also holds rows (a rolling
   * upgrade) adds a piece of its rows' steps, which may overlap them.
   */
  pieces: StepPiece[];
}

/** A chunk's metadata as the step readers select it; `distinct` undefined when unknown or stale. */
export interface ChunkStepMeta {
  seq: bigint;
  points: number;
  first: bigint;
  last: bigint;
  distinct: number | undefined;
}

/** The number of distinct steps among a chunk's `n` points (steps never decrease inside a chunk). */
export function distinctStepsOf(data: Uint8Array, n: number): number {
  const c = decodeChunk(data, n);
  let count = 0;
  let prev: number | bigint | undefined;
  for (let i = 0; i < n; i++) {
    const s = c.step(i);
    if (i === 0 || s !== prev) count++;
    prev = s;
  }
  return count;
}

/** The distinct steps of a decoded chunk within [lo, hi], ascending. */
export function stepsWithin(c: DecodedChunk, lo: bigint, hi: bigint): bigint[] {
  const out: bigint[] = [];
  let prev: bigint | undefined;
  for (let i = 0; i < c.length; i++) {
    const s = BigInt(c.step(i));
    if (s < lo || s === prev) continue;
    if (s > hi) break;
    out.push(s);
    prev = s;
  }
  return out;
}

/**
 * The pieces of a series' chunks, `metas` in seq order from the series' first chunk. A chunk that
 * starts on the step the previous one ended on gives its steps after that one; dense chunks that
 * follow on from each other make one piece. Chunks whose distinct count is unknown are listed
 * from `decoded` (their blobs, read in one go by the caller).
 */
export function chunkPieces(series: number, metas: ChunkStepMeta[], decoded: Map<bigint, DecodedChunk>): StepPiece[] {
  const out: StepPiece[] = [];
  let prevLast: bigint | undefined;
  for (const m of metas) {
    const shared = prevLast !== undefined && m.first === prevLast;
    const lo = shared ? m.first + 1n : m.first;
    prevLast = m.last;
    if (lo > m.last) continue;
    if (m.distinct === undefined) {
      const c = decoded.get(m.seq);
      if (!c) throw new Error(`chunk ${m.seq} of series ${series} was not read`);
      const steps = stepsWithin(c, lo, m.last);
      if (steps.length > 0) out.push({ lo, hi: m.last, count: steps.length, steps });
      continue;
    }
    const count = shared ? m.distinct - 1 : m.distinct;
    if (count <= 0) continue;
    // Dense chunks that follow on from a dense piece extend it: a series logged at every step is one piece.
    const prev = out[out.length - 1];
    const dense = BigInt(count) === m.last - lo + 1n;
    if (dense && prev && !prev.steps && prev.hi + 1n === lo && BigInt(prev.count) === prev.hi - prev.lo + 1n) {
      out[out.length - 1] = { lo: prev.lo, hi: m.last, count: prev.count + count };
      continue;
    }
    out.push({ lo, hi: m.last, count, chunk: { series, seq: m.seq, points: m.points } });
  }
  return out;
}

/** The seqs of `metas` whose distinct count is unknown: their blobs must be read to list their steps. */
export const unknownCounts = (metas: ChunkStepMeta[]): ChunkStepMeta[] => metas.filter((m) => m.distinct === undefined);

/** A chunk metadata row (any driver's integers) as a ChunkStepMeta; a stale or missing count is unknown. */
export function chunkStepMeta(row: {
  seq: number | bigint;
  point_count: number | bigint;
  first_step: number | bigint;
  last_step: number | bigint;
  distinct_steps: number | bigint | null;
  distinct_steps_count: number | bigint | null;
}): ChunkStepMeta {
  const points = Number(row.point_count);
  const current = row.distinct_steps !== null && Number(row.distinct_steps_count) === points;
  return {
    seq: BigInt(row.seq),
    points,
    first: BigInt(row.first_step),
    last: BigInt(row.last_step),
    distinct: current ? Number(row.distinct_steps) : undefined,
  };
}

/** Every step of a dense piece (lo..hi), for callers that asked for one anyway. */
export function denseSteps(p: StepPiece): bigint[] {
  const out: bigint[] = [];
  for (let s = p.lo; s <= p.hi; s++) out.push(s);
  return out;
}

/**
 * Totals over a series' chunks up to a bound, from one aggregate over metric_chunks_step_counts:
 * how many, the sum of their distinct counts, the first and last step, how many counts are known.
 */
export interface ChunkStepTotals {
  chunks: bigint;
  distinct: bigint | null;
  lo: bigint | null;
  hi: bigint | null;
  known: bigint;
}

/**
 * Steps shared by consecutive chunks (a chunk starting on the step the one before it ended on) that
 * the series would have if it held every step from `lo` to `hi`: the union of its chunks' steps is
 * their distinct counts summed, less one per shared step. Undefined when that cannot be (a count
 * unknown, too few or too many steps): the series is not one range, no need to count shared steps.
 */
export function sharedStepsIfDense(t: ChunkStepTotals): bigint | undefined {
  if (t.chunks === 0n || t.known !== t.chunks || t.distinct === null || t.lo === null || t.hi === null)
    return undefined;
  const excess = t.distinct - (t.hi - t.lo + 1n);
  return excess >= 0n && excess < t.chunks ? excess : undefined;
}

/** The series' steps as one range, when its chunks hold every step from lo to hi. */
export function densePiece(t: ChunkStepTotals, shared: bigint): StepPiece | undefined {
  if (t.lo === null || t.hi === null || sharedStepsIfDense(t) !== shared) return undefined;
  return { lo: t.lo, hi: t.hi, count: Number(t.hi - t.lo + 1n) };
}

/**
 * The aggregate behind ChunkStepTotals (both dialects; `$1` series, `$2` the bound). A chunk's count
 * is known when it was computed over its current points.
 */
export const STEP_TOTALS_SQL = `SELECT count(*) AS chunks, sum(distinct_steps) AS distinct_sum, min(first_step) AS lo, max(last_step) AS hi,
  sum(CASE WHEN distinct_steps_count = point_count THEN 1 ELSE 0 END) AS known
FROM metric_chunks WHERE series_id = $1 AND first_step <= $2`;

/**
 * Chunks up to the bound that start on a step an earlier chunk ended on (steps never decrease, so
 * that is the chunk just before): one seek each on metric_chunks_by_step.
 */
export const SHARED_STEPS_SQL = `SELECT count(*) AS shared FROM metric_chunks c
WHERE c.series_id = $1 AND c.first_step <= $2
  AND EXISTS (SELECT 1 FROM metric_chunks p WHERE p.series_id = c.series_id AND p.last_step = c.first_step AND p.seq < c.seq)`;

/** The largest int64: "no bound" for step range statements. */
export const MAX_STEP = 2n ** 63n - 1n;
