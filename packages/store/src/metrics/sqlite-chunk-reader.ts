import type BetterSqlite3 from 'better-sqlite3';
import { ChunkPage } from './chunk-page.ts';
import { firstStepAtOrAfter, pointAt } from './chunk-points.ts';
import {
  type ChunkPiece,
  type ChunkStepMeta,
  chunkPieces,
  chunkStepMeta,
  densePiece,
  MAX_STEP,
  type SeriesSteps,
  SHARED_STEPS_SQL,
  STEP_TOTALS_SQL,
  sharedStepsIfDense,
  stepsWithin,
  unknownCounts,
} from './chunk-steps.ts';
import type { HistoryColumns, HistoryCursor, StoredPoint } from './metric-reader.ts';
import { type DecodedChunk, decodeChunk, pointsIn } from './point-chunk.ts';

type ChunkRow = [number, Buffer];

/**
 * Reads series stored as chunks. Chunks of a series follow history order and never lower the
 * step, so a history page starts at one seek on the timestamp index and a step lookup at one
 * seek on the step index; only the chunks that hold returned points are decoded.
 */
export function createSqliteChunkReader(raw: BetterSqlite3.Database) {
  const fromStart = raw
    .prepare<[number], ChunkRow>('SELECT point_count, data FROM metric_chunks WHERE series_id = ? ORDER BY seq')
    .raw(true);
  const fromTimestamp = raw
    .prepare<[number, number | bigint], ChunkRow>(
      'SELECT point_count, data FROM metric_chunks WHERE series_id = ? AND last_timestamp >= ? ORDER BY last_timestamp, seq',
    )
    .raw(true);
  // Step seeks read chunk metadata only (one LIMIT 1 seek: the first chunk whose last step is at
  // or past a step holds that step's first point); blobs come by primary key, many per statement,
  // through a small cache, because consecutive sample targets often fall in the same chunk.
  const atOrAfterStep = raw
    .prepare<[number, number | bigint], [bigint, bigint, bigint, bigint]>(
      'SELECT seq, point_count, first_step, last_step FROM metric_chunks WHERE series_id = ? AND last_step >= ? ORDER BY last_step, seq LIMIT 1',
    )
    .raw(true)
    .safeIntegers(true);
  const bySeq = raw
    .prepare<[number, bigint], [bigint, bigint, bigint, bigint]>(
      'SELECT seq, point_count, first_step, last_step FROM metric_chunks WHERE series_id = ? AND seq = ?',
    )
    .raw(true)
    .safeIntegers(true);
  const blobs = raw
    .prepare<[number, string], [bigint, Buffer]>(
      'SELECT seq, data FROM metric_chunks WHERE series_id = ? AND seq IN (SELECT value FROM json_each(?))',
    )
    .raw(true)
    .safeIntegers(true);
  const cache = new Map<string, DecodedChunk>();
  // A chunk's content is fixed for a given point count: a tail only ever grows.
  const cacheKey = (series: number, seq: bigint, n: bigint) => `${series}:${seq}:${n}`;
  function remember(id: string, c: DecodedChunk): void {
    if (cache.size >= 512) cache.delete(cache.keys().next().value as string);
    cache.set(id, c);
  }
  /** Decoded chunks for `metas` ([seq, count, …] rows), fetching the uncached ones in one statement. */
  function chunks(series: number, metas: [bigint, bigint, ...unknown[]][]): Map<bigint, DecodedChunk> {
    const out = new Map<bigint, DecodedChunk>();
    const missing = new Map<bigint, bigint>();
    for (const [seq, n] of metas) {
      const c = cache.get(cacheKey(series, seq, n));
      if (c) out.set(seq, c);
      else missing.set(seq, n);
    }
    if (missing.size > 0) {
      for (const [seq, data] of blobs.all(series, JSON.stringify([...missing.keys()].map(String)))) {
        const n = missing.get(seq) as bigint;
        const c = decodeChunk(data, Number(n));
        remember(cacheKey(series, seq, n), c);
        out.set(seq, c);
      }
    }
    return out;
  }
  const firstStep = raw
    .prepare('SELECT first_step FROM metric_chunks WHERE series_id = ? ORDER BY seq LIMIT 1')
    .pluck()
    .safeIntegers(true);
  const lastStep = raw
    .prepare('SELECT last_step FROM metric_chunks WHERE series_id = ? ORDER BY seq DESC LIMIT 1')
    .pluck()
    .safeIntegers(true);

  /** The chunks of one history page, as ChunkPage slices. */
  function gather(series: number, limit: number | undefined, after: HistoryCursor | undefined): ChunkPage {
    const out = new ChunkPage(limit ?? Number.POSITIVE_INFINITY, after);
    if (out.full) return out;
    const rows = after ? fromTimestamp.iterate(series, after.timestamp) : fromStart.iterate(series);
    for (const [n, data] of rows) if (out.add(n, data)) break;
    return out;
  }

  function page(series: number, limit: number | undefined, after: HistoryCursor | undefined): StoredPoint[] {
    return gather(series, limit, after).points();
  }

  function columns(series: number, limit: number | undefined, after: HistoryCursor | undefined): HistoryColumns {
    return gather(series, limit, after).columns();
  }

  function stepRange(series: number): { lo: bigint; hi: bigint } | undefined {
    const lo = firstStep.get(series) as bigint | undefined;
    const hi = lastStep.get(series) as bigint | undefined;
    return lo === undefined || hi === undefined ? undefined : { lo, hi };
  }

  type Meta = [bigint, bigint, bigint, bigint];
  const countInRange = raw
    .prepare<[number, bigint, bigint], number>(
      'SELECT count(*) FROM metric_chunks WHERE series_id = ? AND last_step >= ? AND last_step <= ?',
    )
    .pluck();
  const metaRange = raw
    .prepare<[number, bigint, bigint], Meta>(
      'SELECT seq, point_count, first_step, last_step FROM metric_chunks WHERE series_id = ? AND last_step BETWEEN ? AND ? ORDER BY last_step, seq',
    )
    .raw(true)
    .safeIntegers(true);
  const dataRange = raw
    .prepare<[number, bigint, bigint], [...Meta, Buffer]>(
      'SELECT seq, point_count, first_step, last_step, data FROM metric_chunks WHERE series_id = ? AND last_step BETWEEN ? AND ? ORDER BY last_step, seq',
    )
    .raw(true)
    .safeIntegers(true);

  /**
   * The last step of the chunk holding `last` (or of the series' last chunk): the upper bound of
   * an index range that covers every chunk from `first` to `last`. Undefined when many steps over
   * few chunks does not hold, and one seek per step is cheaper than a walk over the range.
   */
  function walkBound(series: number, steps: bigint[]): bigint | undefined {
    if (steps.length < 16) return undefined;
    const first = steps[0];
    const tail = atOrAfterStep.get(series, steps[steps.length - 1]);
    const bound = tail ? tail[3] : (lastStep.get(series) as bigint | undefined);
    if (bound === undefined || bound < first) return undefined;
    return (countInRange.get(series, first, bound) ?? 0) <= steps.length * 2 ? bound : undefined;
  }

  /**
   * For each of `steps` (ascending), the first chunk whose last step is at or past it. Few steps
   * over many chunks: one seek each. Many steps over few chunks (a chart of a 100k-point series
   * at 1000 points): one walk over the chunks' metadata instead.
   */
  function locate(series: number, steps: bigint[]): (Meta | undefined)[] {
    const bound = walkBound(series, steps);
    if (bound === undefined) return steps.map((step) => atOrAfterStep.get(series, step));
    const out: (Meta | undefined)[] = [];
    let k = 0;
    for (const meta of metaRange.all(series, steps[0], bound)) {
      while (k < steps.length && steps[k] <= meta[3]) out[k++] = meta;
      if (k === steps.length) break;
    }
    while (out.length < steps.length) out.push(undefined);
    return out;
  }

  /** For each of `targets` (ascending), the first stored step at or after it, if any. */
  function stepsAtOrAfter(series: number, targets: bigint[]): (bigint | undefined)[] {
    const metas = locate(series, targets);
    // Steps first..last each present once: a target inside such a chunk is itself a step.
    const needData = metas.filter(
      (m, k) => m !== undefined && m[2] < targets[k] && m[3] - m[2] + 1n !== m[1],
    ) as Meta[];
    const decoded = needData.length > 0 ? chunks(series, needData) : new Map<bigint, DecodedChunk>();
    return metas.map((meta, k) => {
      if (!meta) return undefined;
      const target = targets[k];
      const [seq, n, first, last] = meta;
      if (first >= target) return first;
      if (last - first + 1n === n) return target;
      const c = decoded.get(seq) as DecodedChunk;
      return BigInt(c.step(firstStepAtOrAfter(c, target)));
    });
  }

  /** Every point at each of `steps`, by step then history order (a step may run into later chunks). */
  function atSteps(series: number, steps: bigint[]): StoredPoint[] {
    const sorted = [...new Set(steps)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const bound = walkBound(series, sorted);
    if (bound !== undefined) return atStepsByWalk(series, sorted, bound);
    const metas = sorted.map((step) => atOrAfterStep.get(series, step));
    const found = chunks(series, metas.filter((m, k) => m !== undefined && !(m[2] > sorted[k])) as Meta[]);
    const out: StoredPoint[] = [];
    sorted.forEach((step, k) => {
      let meta = metas[k];
      while (meta && !(meta[2] > step)) {
        const [seq, , , last] = meta;
        let c = found.get(seq);
        if (!c) {
          c = chunks(series, [meta]).get(seq) as DecodedChunk;
          found.set(seq, c);
        }
        for (let i = firstStepAtOrAfter(c, step); i < c.length && !(c.step(i) > step); i++) out.push(pointAt(c, i));
        // The step goes on in the next chunk only if this one ends on it.
        meta = last === step ? bySeq.get(series, seq + 1n) : undefined;
      }
    });
    return out;
  }

  /** atSteps as one pass over the chunks from the first step to `bound`, blobs included. */
  function atStepsByWalk(series: number, sorted: bigint[], bound: bigint): StoredPoint[] {
    const out: StoredPoint[] = [];
    let k = 0;
    for (const [, n, first, last, data] of dataRange.all(series, sorted[0], bound)) {
      while (k < sorted.length && sorted[k] < first) k++;
      if (k === sorted.length) break;
      if (sorted[k] > last) continue;
      const c = decodeChunk(data, Number(n));
      // Steps inside this chunk; one that ends the chunk may go on in the next, so k stays on it.
      let j = k;
      for (; j < sorted.length && sorted[j] <= last; j++) {
        const step = sorted[j];
        for (let i = firstStepAtOrAfter(c, step); i < c.length && !(c.step(i) > step); i++) out.push(pointAt(c, i));
      }
      k = sorted[j - 1] === last ? j - 1 : j;
    }
    return out;
  }

  // Covered by metric_chunks_step_counts (migration 0012): chunk metadata only, never the rows.
  const stepMetas = raw
    .prepare<[number, bigint], [bigint, bigint, bigint, bigint, bigint | null, bigint | null]>(
      'SELECT seq, point_count, first_step, last_step, distinct_steps, distinct_steps_count FROM metric_chunks WHERE series_id = ? AND first_step <= ? ORDER BY first_step, seq',
    )
    .raw(true)
    .safeIntegers(true);

  /** Decoded chunks of `metas`, read `UNKNOWN_BATCH` blobs per statement (through the cache). */
  function decodeAll(series: number, metas: ChunkStepMeta[]): Map<bigint, DecodedChunk> {
    const out = new Map<bigint, DecodedChunk>();
    for (let i = 0; i < metas.length; i += UNKNOWN_BATCH) {
      const part = metas.slice(i, i + UNKNOWN_BATCH).map((m): [bigint, bigint] => [m.seq, BigInt(m.points)]);
      for (const [seq, c] of chunks(series, part)) out.set(seq, c);
    }
    return out;
  }

  const positional = (text: string) => text.replace(/\$\d/g, '?');
  const stepTotals = raw
    .prepare<[number, bigint], [bigint, bigint | null, bigint | null, bigint | null, bigint]>(
      positional(STEP_TOTALS_SQL),
    )
    .raw(true)
    .safeIntegers(true);
  const sharedSteps = raw.prepare<[number, bigint], bigint>(positional(SHARED_STEPS_SQL)).pluck().safeIntegers(true);

  /**
   * The series' distinct steps up to `end` in pieces (chunk-steps.ts), from chunk metadata. A series
   * holding every step of its range answers from two aggregates (no row reaches JS); others list
   * their chunks' metadata.
   */
  function stepPieces(series: number, end?: bigint): SeriesSteps | undefined {
    const range = stepRange(series);
    if (!range) return undefined;
    const bound = end ?? MAX_STEP;
    const [chunks, distinct, lo, hi, known] = stepTotals.get(series, bound) as [
      bigint,
      bigint | null,
      bigint | null,
      bigint | null,
      bigint,
    ];
    const totals = { chunks, distinct, lo, hi, known };
    const shared = sharedStepsIfDense(totals);
    const dense = shared === undefined ? undefined : densePiece(totals, sharedSteps.get(series, bound) as bigint);
    if (dense) return { lo: range.lo, hi: range.hi, pieces: [dense] };
    const metas = stepMetas.all(series, bound).map(([seq, n, first, last, distinct, counted]) =>
      chunkStepMeta({
        seq,
        point_count: n,
        first_step: first,
        last_step: last,
        distinct_steps: distinct,
        distinct_steps_count: counted,
      }),
    );
    const unknown = unknownCounts(metas);
    const decoded = unknown.length > 0 ? decodeAll(series, unknown) : new Map<bigint, DecodedChunk>();
    return { lo: range.lo, hi: range.hi, pieces: chunkPieces(series, metas, decoded) };
  }

  /**
   * The steps of chunk pieces of `series`, each within its [lo, hi]. A tail may have grown since its
   * piece was read: its blob is decoded at the count it has now (later points lie past `hi`).
   */
  function pieceSteps(series: number, pieces: ChunkPiece[]): bigint[][] {
    const found = new Map<bigint, DecodedChunk>();
    const missing: bigint[] = [];
    for (const p of pieces) {
      const c = cache.get(cacheKey(series, p.chunk.seq, BigInt(p.chunk.points)));
      if (c) found.set(p.chunk.seq, c);
      else missing.push(p.chunk.seq);
    }
    for (let i = 0; i < missing.length; i += UNKNOWN_BATCH) {
      const part = JSON.stringify(missing.slice(i, i + UNKNOWN_BATCH).map(String));
      for (const [seq, data] of blobs.all(series, part)) {
        const n = pointsIn(data);
        const c = decodeChunk(data, n);
        remember(cacheKey(series, seq, BigInt(n)), c);
        found.set(seq, c);
      }
    }
    return pieces.map((p) => {
      const c = found.get(p.chunk.seq);
      if (!c) throw new Error(`chunk ${p.chunk.seq} of series ${series} is gone`);
      return stepsWithin(c, p.lo, p.hi);
    });
  }

  return { page, columns, stepRange, stepsAtOrAfter, atSteps, stepPieces, pieceSteps };
}

/** Blobs read per statement when chunks must be decoded to list their steps. */
const UNKNOWN_BATCH = 256;
