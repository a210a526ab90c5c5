import type BetterSqlite3 from 'better-sqlite3';
import type { ChartChunk, ChartChunkSource } from './chart-reader.ts';
import { type DecodedChunk, decodeChunk } from './point-chunk.ts';

type MetaRow = [bigint, bigint, bigint, bigint, Buffer | null, bigint | null];

const META = 'SELECT seq, point_count, first_step, last_step, summary, summary_count FROM metric_chunks';

/** The statements charts of chunked series need on SQLite (`chart-reader.ts`). */
export function createSqliteChartSource(
  raw: BetterSqlite3.Database,
  stepRange: (series: number) => { lo: bigint; hi: bigint } | undefined,
): ChartChunkSource {
  const byLastStep = raw
    .prepare<[number, bigint, bigint], MetaRow>(
      `${META} WHERE series_id = ? AND last_step BETWEEN ? AND ? ORDER BY last_step, seq`,
    )
    .raw(true)
    .safeIntegers(true);
  // At most one chunk holds steps on both sides of `hi`: the first one ending after it.
  const endingAfter = raw
    .prepare<[number, bigint], MetaRow>(`${META} WHERE series_id = ? AND last_step > ? ORDER BY last_step, seq LIMIT 1`)
    .raw(true)
    .safeIntegers(true);
  const blobs = raw
    .prepare<[number, string], [bigint, bigint, Buffer]>(
      'SELECT seq, point_count, data FROM metric_chunks WHERE series_id = ? AND seq IN (SELECT value FROM json_each(?))',
    )
    .raw(true)
    .safeIntegers(true);
  const meta = ([seq, n, first, last, summary, summaryCount]: MetaRow): ChartChunk => ({
    seq,
    count: Number(n),
    firstStep: first,
    lastStep: last,
    summary,
    summaryCount: summaryCount === null ? null : Number(summaryCount),
  });
  return {
    stepRange: async (series) => stepRange(series),
    async chunksInRange(series, lo, hi) {
      const out = byLastStep.all(series, lo, hi).map(meta);
      const straddling = endingAfter.get(series, hi);
      if (straddling && straddling[2] <= hi) out.push(meta(straddling));
      return out;
    },
    async blobs(series, seqs) {
      const out = new Map<bigint, DecodedChunk>();
      if (seqs.length === 0) return out;
      for (const [seq, n, data] of blobs.all(series, JSON.stringify(seqs.map(String))))
        out.set(seq, decodeChunk(data, Number(n)));
      return out;
    },
  };
}
