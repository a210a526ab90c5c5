import { distinctStepsOf } from './chunk-steps.ts';
import { summarizeChunk } from './chunk-summary.ts';
import { compareHistory, type HistoryKey, type MetricPoint } from './metric-point.ts';
import { appendToChunk, decodeChunk, encodeChunk } from './point-chunk.ts';

/**
 * What a write to a chunked series does, decided without touching the database: both dialects
 * read the series' tail, ask this module, and carry out the answer in their own way.
 */

/**
 * A last chunk smaller than this takes the next write's points into itself instead of getting a
 * new chunk after it: a client that logs one point per request (MLflow's `log_metric`) still
 * gets chunks of this many points, and rewriting a tail this small costs a few kilobytes.
 */
export const MIN_CHUNK = 128;
/**
 * A write of more points than this is split: a step seek reads one whole chunk, so chunks stay
 * at a few kilobytes (256 points = 6 KiB).
 */
export const MAX_CHUNK = 256;

/** The last chunk of a series as stored; `data` only when it is small enough to be extended. */
export interface ChunkTail {
  seq: bigint;
  count: number;
  data: Uint8Array | null;
  last: HistoryKey;
}

/**
 * A chunk row to write: a new one, or the tail rewritten with more points (its first point stays).
 * `summary` and `distinctSteps` describe all `count` points (chunk-summary.ts, chunk-steps.ts).
 */
export type ChunkWrite = {
  seq: bigint;
  count: number;
  last: HistoryKey;
  data: Buffer;
  summary: Buffer;
  distinctSteps: number;
} & ({ op: 'insert'; first: HistoryKey } | { op: 'update' });

export type ChunkPlan =
  /**
   * Points before the tail: the caller fetches the keys of the stored points with timestamps in
   * [from, until] (only those can equal them) and asks again.
   */
  | { kind: 'check-duplicates'; from: number | bigint; until: number | bigint }
  /** The points do not fit the chunk order: the series moves to rows. */
  | { kind: 'to-rows' }
  /** `fresh` are the new points (the rest were stored duplicates), written by `writes`. */
  | { kind: 'write'; fresh: MetricPoint[]; writes: ChunkWrite[] };

type StoredFields = Omit<MetricPoint, 'key'>;

export const historyKeyOf = (p: HistoryKey) => `${p.timestamp}|${p.step}|${p.isNan}|${p.isNan ? 0 : p.value}`;

/** The points of a stored chunk. */
export function chunkPoints(data: Uint8Array, n: number): StoredFields[] {
  const c = decodeChunk(data, n);
  return Array.from({ length: n }, (_, i) => {
    const v = c.value(i);
    const nan = Number.isNaN(v);
    return {
      timestamp: c.timestamp(i),
      step: c.step(i),
      value: nan ? 0 : v,
      isNan: nan ? 1 : 0,
      modelId: null,
      datasetName: null,
      datasetDigest: null,
    };
  });
}

/**
 * Points of a series in history order with exact duplicates removed, or undefined when they
 * cannot be packed: a point carries model or dataset fields, or its steps go down as history
 * order goes up (chunks must keep steps non-decreasing so that a step seek finds one chunk).
 */
export function packable(points: MetricPoint[]): MetricPoint[] | undefined {
  const sorted: MetricPoint[] = [];
  for (const p of points) {
    if (p.modelId !== null || p.datasetName !== null || p.datasetDigest !== null) return undefined;
    sorted.push(p);
  }
  sorted.sort(compareHistory);
  const out: MetricPoint[] = [];
  for (const p of sorted) {
    const prev = out[out.length - 1];
    if (prev && compareHistory(prev, p) === 0) continue;
    if (prev && p.step < prev.step) return undefined;
    out.push(p);
  }
  return out;
}

const columns = (points: StoredFields[]) => ({
  timestamps: points.map((p) => p.timestamp),
  steps: points.map((p) => p.step),
  values: points.map((p) => p.value),
  isNan: points.map((p) => p.isNan),
});

function newChunks(seq: bigint, points: MetricPoint[]): ChunkWrite[] {
  const out: ChunkWrite[] = [];
  for (let i = 0; i < points.length; i += MAX_CHUNK) {
    const part = points.slice(i, i + MAX_CHUNK);
    const data = encodeChunk(columns(part));
    out.push({
      op: 'insert',
      seq: seq + BigInt(out.length),
      count: part.length,
      first: part[0],
      last: part[part.length - 1],
      data,
      summary: summarizeChunk(data, part.length),
      distinctSteps: distinctStepsOf(data, part.length),
    });
  }
  return out;
}

/**
 * Plans storing `points` (already `packable`) after `tail` (undefined: the series has no chunk).
 * `stored` holds the keys of stored points in the timestamp range a 'check-duplicates' answer named.
 */
export function planChunkWrite(points: MetricPoint[], tail: ChunkTail | undefined, stored?: Set<string>): ChunkPlan {
  if (!tail) return { kind: 'write', fresh: points, writes: newChunks(0n, points) };
  let split = 0;
  while (split < points.length && compareHistory(points[split], tail.last) <= 0) split++;
  if (split > 0) {
    // A resent batch (a client retry) repeats stored points: those are duplicates, not disorder.
    // Bounded on both sides: a resend in order reads only the chunks it repeats, not every later one.
    if (!stored) return { kind: 'check-duplicates', from: points[0].timestamp, until: points[split - 1].timestamp };
    for (let i = 0; i < split; i++) if (!stored.has(historyKeyOf(points[i]))) return { kind: 'to-rows' };
  }
  const fresh = points.slice(split);
  if (fresh.length === 0) return { kind: 'write', fresh, writes: [] };
  if (fresh[0].step < tail.last.step) return { kind: 'to-rows' };
  if (tail.data && tail.count + fresh.length <= MAX_CHUNK) {
    const count = tail.count + fresh.length;
    const data = appendToChunk(tail.data, tail.count, columns(fresh));
    return {
      kind: 'write',
      fresh,
      writes: [
        {
          op: 'update',
          seq: tail.seq,
          count,
          last: fresh[fresh.length - 1],
          data,
          summary: summarizeChunk(data, count),
          distinctSteps: distinctStepsOf(data, count),
        },
      ],
    };
  }
  return { kind: 'write', fresh, writes: newChunks(tail.seq + 1n, fresh) };
}
