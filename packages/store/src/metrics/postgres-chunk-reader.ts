import { firstStepAtOrAfter, pointAt } from './chunk-points.ts';
import { compareHistory } from './metric-point.ts';
import type { HistoryCursor, StoredPoint } from './metric-reader.ts';
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
  async function page(
    series: number,
    limit: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<StoredPoint[]> {
    const out: StoredPoint[] = [];
    const max = limit ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return out;
    let from: bigint | undefined = 0n;
    if (after) {
      const [start] = await query<{ seq: number | bigint }>(
        'SELECT seq FROM metric_chunks WHERE series_id = $1 AND last_timestamp >= $2::int8 ORDER BY last_timestamp, seq LIMIT 1',
        [series, after.timestamp],
      );
      from = start === undefined ? undefined : BigInt(start.seq);
    }
    let pastCursor = !after;
    while (from !== undefined) {
      const rows = await query<ChunkRow>(
        'SELECT seq, point_count, data FROM metric_chunks WHERE series_id = $1 AND seq >= $2::int8 ORDER BY seq LIMIT $3',
        [series, from, BATCH],
      );
      for (const r of rows) {
        const c = decodeChunk(r.data, r.point_count);
        let i = 0;
        if (!pastCursor) {
          const cursor = after as HistoryCursor;
          while (
            i < c.length &&
            compareHistory(
              {
                timestamp: c.timestamp(i),
                step: c.step(i),
                isNan: Number.isNaN(c.value(i)) ? 1 : 0,
                value: c.value(i),
              },
              cursor,
            ) <= 0
          )
            i++;
          pastCursor = i < c.length;
        }
        for (; i < c.length; i++) {
          out.push(pointAt(c, i));
          if (out.length >= max) return out;
        }
      }
      from = rows.length === BATCH ? BigInt(rows[rows.length - 1].seq) + 1n : undefined;
    }
    return out;
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

  /** Every point at the given steps, by step then history order; a step may run on into later chunks. */
  async function atSteps(series: number, steps: bigint[]): Promise<StoredPoint[]> {
    if (steps.length === 0) return [];
    const sorted = [...new Set(steps)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const found = await query<{ target: number | bigint; seq: number | bigint }>(
      `SELECT t.target, f.seq FROM unnest($2::int8[]) AS t(target)
       CROSS JOIN LATERAL (SELECT seq FROM metric_chunks WHERE series_id = $1 AND last_step >= t.target ORDER BY last_step, seq LIMIT 1) f`,
      [series, sorted],
    );
    const start = new Map(found.map((f) => [BigInt(f.target), BigInt(f.seq)]));
    const chunks = await chunksBySeq(series, [...new Set(start.values())]);
    const out: StoredPoint[] = [];
    for (const step of sorted) {
      let seq = start.get(step);
      while (seq !== undefined) {
        let c = chunks.get(seq);
        if (!c) {
          const more = await chunksBySeq(series, [seq]);
          c = more.get(seq);
          if (!c) break;
          chunks.set(seq, c);
        }
        for (let i = firstStepAtOrAfter(c, step); i < c.length && !(c.step(i) > step); i++) out.push(pointAt(c, i));
        // The step may go on in the next chunk only if this chunk ends on it.
        seq = c.length > 0 && !(c.step(c.length - 1) > step) && !(c.step(c.length - 1) < step) ? seq + 1n : undefined;
      }
    }
    return out;
  }

  return { page, sampleSteps, atSteps };
}
