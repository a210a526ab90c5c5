import type { ChartChunk, ChartChunkSource } from './chart-reader.ts';
import { type DecodedChunk, decodeChunk } from './point-chunk.ts';

type Query = <R>(text: string, values: unknown[]) => Promise<R[]>;

interface MetaRow {
  seq: number | bigint;
  point_count: number;
  first_step: number | bigint;
  last_step: number | bigint;
  summary: Buffer | null;
  summary_count: number | null;
}

const META = 'SELECT seq, point_count, first_step, last_step, summary, summary_count FROM metric_chunks';

const meta = (r: MetaRow): ChartChunk => ({
  seq: BigInt(r.seq),
  count: Number(r.point_count),
  firstStep: r.first_step,
  lastStep: r.last_step,
  summary: r.summary,
  summaryCount: r.summary_count === null ? null : Number(r.summary_count),
});

/** The statements charts of chunked series need on PostgreSQL (`chart-reader.ts`). */
export function createPostgresChartSource(query: Query): ChartChunkSource {
  return {
    async stepRange(series) {
      const [range] = await query<{ lo: number | bigint | null; hi: number | bigint | null }>(
        `SELECT (SELECT first_step FROM metric_chunks WHERE series_id = $1 ORDER BY seq LIMIT 1) AS lo,
                (SELECT last_step FROM metric_chunks WHERE series_id = $1 ORDER BY seq DESC LIMIT 1) AS hi`,
        [series],
      );
      return range && range.lo !== null && range.hi !== null
        ? { lo: BigInt(range.lo), hi: BigInt(range.hi) }
        : undefined;
    },
    async chunksInRange(series, lo, hi) {
      // The chunks ending inside [lo, hi], then the one chunk that may hold steps on both sides of hi.
      const rows = await query<MetaRow>(
        `(${META} WHERE series_id = $1 AND last_step BETWEEN $2::int8 AND $3::int8 ORDER BY last_step, seq)
         UNION ALL
         (${META} WHERE series_id = $1 AND last_step > $3::int8 ORDER BY last_step, seq LIMIT 1)`,
        [series, lo, hi],
      );
      return rows
        .filter((r) => r.last_step <= hi || r.first_step <= hi)
        .map(meta)
        .sort((a, b) => (a.seq < b.seq ? -1 : 1));
    },
    async blobs(series, seqs) {
      const out = new Map<bigint, DecodedChunk>();
      if (seqs.length === 0) return out;
      const rows = await query<{ seq: number | bigint; point_count: number; data: Buffer }>(
        'SELECT seq, point_count, data FROM metric_chunks WHERE series_id = $1 AND seq = ANY($2::int8[])',
        [series, seqs],
      );
      for (const r of rows) out.set(BigInt(r.seq), decodeChunk(r.data, r.point_count));
      return out;
    },
  };
}
