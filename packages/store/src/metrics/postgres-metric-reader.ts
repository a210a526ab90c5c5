import { CompiledQuery } from 'kysely';
import { prepared } from '../postgres-prepared.ts';
import type { Store } from '../store.ts';
import { addPages, CHART_CONCURRENCY, chartOfChunks, mapBounded } from './chart-reader.ts';
import { type ChunkPiece, denseSteps, MAX_STEP, type SeriesSteps, type StepPiece } from './chunk-steps.ts';
import { Downsampler } from './m4-downsample.ts';
import { compareHistory } from './metric-point.ts';
import { clampSteps, type HistoryCursor, type MetricReader, type StoredPoint, sampleTargets } from './metric-reader.ts';
import { createPostgresChartSource } from './postgres-chunk-chart.ts';
import { createPostgresChunkReader } from './postgres-chunk-reader.ts';

const COLS = 'timestamp, step, is_nan, value, model_id, dataset_name, dataset_digest';
const ORDER = 'ORDER BY timestamp, step, is_nan, value';

/**
 * PostgreSQL history reads. int8 columns arrive as numbers, or BigInt beyond 2^53 (the pool's
 * type parser), so pages keep int64 steps and timestamps exactly. Sampling seeks the
 * (series_id, step) index once per target step, all targets in one LATERAL query.
 */
export function createPostgresMetricReader(store: Store): MetricReader {
  const db = store.db;
  const query = async <R>(text: string, values: unknown[]): Promise<R[]> =>
    (await db.executeQuery<R>(CompiledQuery.raw(prepared(text), values))).rows as R[];
  const chunks = createPostgresChunkReader(query);
  const chartChunks = createPostgresChartSource(query);
  // A chunked series may also hold rows while replicas of the previous release (which only know
  // rows) still write during a rolling upgrade: such a "mixed" series is read from both tables
  // until its next write from this release moves it to rows.
  const storage = async (series: number): Promise<'rows' | 'chunks' | 'mixed'> => {
    const [row] = await query<{ layout: number; mixed: boolean }>(
      'SELECT layout, (layout = 1 AND EXISTS (SELECT 1 FROM metric_points WHERE series_id = $1)) AS mixed FROM metric_series WHERE id = $1',
      [series],
    );
    return row?.layout !== 1 ? 'rows' : row.mixed ? 'mixed' : 'chunks';
  };
  const rows = createRowsReader(query);
  async function pageOf(
    where: 'rows' | 'chunks' | 'mixed',
    series: number,
    limit: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<StoredPoint[]> {
    if (where === 'rows') return rows.page(series, limit, after);
    if (where === 'chunks') return chunks.page(series, limit, after);
    const all = [...(await rows.page(series, undefined, after)), ...(await chunks.page(series, undefined, after))].sort(
      (a, b) => compareHistory(key(a), key(b)),
    );
    return limit === undefined ? all : all.slice(0, limit);
  }
  const byStep = (a: StoredPoint, b: StoredPoint) =>
    a.step < b.step ? -1 : a.step > b.step ? 1 : compareHistory(key(a), key(b));

  const reader: MetricReader = {
    async findSeries(runId, key) {
      const found = await query<{ id: number }>('SELECT id FROM metric_series WHERE run_id = $1 AND key = $2', [
        runId,
        key,
      ]);
      return found.length > 0 ? Number(found[0].id) : undefined;
    },

    async seriesVersion(series) {
      const [row] = await query<{ point_count: number | bigint; layout: number }>(
        'SELECT point_count, layout FROM metric_series WHERE id = $1',
        [series],
      );
      return row ? `${row.point_count}:${row.layout}` : undefined;
    },

    async chartRuns(workspaceId, runUuids, key) {
      const out = new Map<string, number | undefined>();
      if (runUuids.length === 0) return out;
      const found = await query<{ run_uuid: string; series: number | bigint | null }>(
        `SELECT r.run_uuid, s.id AS series FROM runs r
         INNER JOIN experiments e ON e.experiment_id = r.experiment_id
         LEFT JOIN metric_series s ON s.run_id = r.id AND s.key = $3
         WHERE r.run_uuid = ANY($1::text[]) AND e.workspace_id = $2`,
        [runUuids, workspaceId, key],
      );
      for (const r of found) out.set(r.run_uuid, r.series === null ? undefined : Number(r.series));
      return out;
    },

    charts(series, max, start, end, each) {
      return mapBounded(series, CHART_CONCURRENCY, async (id, i) =>
        each(id === undefined ? [] : await reader.chart(id, max, start, end), i),
      );
    },

    async page(series, limit, after) {
      return pageOf(await storage(series), series, limit, after);
    },

    async historyPage(series, limit, after) {
      const where = await storage(series);
      return where === 'chunks' ? chunks.columns(series, limit, after) : pageOf(where, series, limit, after);
    },

    async sampleSteps(series, count, start, end) {
      const where = await storage(series);
      if (where === 'rows') return rows.sampleSteps(series, count, start, end);
      if (where === 'chunks') return chunks.sampleSteps(series, count, start, end);
      const steps = new Set([
        ...(await rows.sampleSteps(series, count, start, end)),
        ...(await chunks.sampleSteps(series, count, start, end)),
      ]);
      return [...steps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, count);
    },

    async atSteps(series, steps) {
      if (steps.length === 0) return [];
      const where = await storage(series);
      if (where === 'rows') return rows.atSteps(series, steps);
      if (where === 'chunks') return chunks.atSteps(series, steps);
      return [...(await rows.atSteps(series, steps)), ...(await chunks.atSteps(series, steps))].sort(byStep);
    },

    async stepPieces(series, end) {
      const where = await storage(series);
      if (where === 'chunks') return chunks.stepPieces(series, end);
      const fromRows = await rows.stepPieces(series, end);
      if (where === 'rows') return fromRows;
      // Rows beside chunks (a rolling upgrade): both sets of pieces; the step choice unites them.
      const fromChunks = await chunks.stepPieces(series, end);
      if (!fromRows || !fromChunks) return fromRows ?? fromChunks;
      const bounds = union(fromRows, fromChunks) as { lo: bigint; hi: bigint };
      return { ...bounds, pieces: [...fromRows.pieces, ...fromChunks.pieces].sort((a, b) => compareSteps(a.lo, b.lo)) };
    },

    async pieceSteps(pieces) {
      const out: bigint[][] = new Array(pieces.length);
      const bySeries = new Map<number, number[]>();
      pieces.forEach((p, i) => {
        if (p.steps) out[i] = p.steps.filter((s) => s >= p.lo && s <= p.hi);
        else if (p.chunk) bySeries.set(p.chunk.series, [...(bySeries.get(p.chunk.series) ?? []), i]);
        else out[i] = denseSteps(p);
      });
      for (const [series, at] of bySeries) {
        const read = await chunks.pieceSteps(
          series,
          at.map((i) => pieces[i] as ChunkPiece),
        );
        at.forEach((i, k) => {
          out[i] = read[k];
        });
      }
      return out;
    },

    async chart(series, max, start, end) {
      const where = await storage(series);
      const chunkRange = where === 'rows' ? undefined : await chartChunks.stepRange(series);
      const rowRange = where === 'chunks' ? undefined : await rows.stepRange(series);
      const bounds = clampSteps(union(chunkRange, rowRange), start, end);
      if (!bounds) return [];
      if (where === 'chunks') return chartOfChunks(chartChunks, series, max, bounds.lo, bounds.hi);
      const out = new Downsampler(bounds.lo, bounds.hi, max);
      await addPages(out, (limit, after) => rows.page(series, limit, after), bounds.lo, bounds.hi);
      if (where === 'mixed')
        await addPages(out, (limit, after) => chunks.page(series, limit, after), bounds.lo, bounds.hi);
      return out.points();
    },
  };
  return reader;
}

type StepRange = { lo: bigint; hi: bigint } | undefined;
const compareSteps = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
function union(a: StepRange, b: StepRange): StepRange {
  if (!a || !b) return a ?? b;
  const out = { ...a };
  if (b.lo < out.lo) out.lo = b.lo;
  if (b.hi > out.hi) out.hi = b.hi;
  return out;
}

const key = (p: StoredPoint) => ({ timestamp: p.timestamp, step: p.step, isNan: p.is_nan, value: p.value });

/** Series stored as rows of `metric_points`. */
function createRowsReader(query: <R>(text: string, values: unknown[]) => Promise<R[]>): Omit<
  MetricReader,
  'findSeries' | 'seriesVersion' | 'chart' | 'chartRuns' | 'charts' | 'stepPieces' | 'pieceSteps' | 'historyPage'
> & {
  stepRange(series: number): Promise<StepRange>;
  stepPieces(series: number, end?: bigint): Promise<SeriesSteps | undefined>;
} {
  async function stepRange(series: number): Promise<StepRange> {
    const [range] = await query<{ lo: number | bigint | null; hi: number | bigint | null }>(
      'SELECT min(step) AS lo, max(step) AS hi FROM metric_points WHERE series_id = $1',
      [series],
    );
    return range && range.lo !== null && range.hi !== null ? { lo: BigInt(range.lo), hi: BigInt(range.hi) } : undefined;
  }
  return {
    async stepPieces(series, end) {
      const [range, found] = await Promise.all([
        stepRange(series),
        query<{ step: number | bigint }>(
          'SELECT DISTINCT step FROM metric_points WHERE series_id = $1 AND step <= $2::int8 ORDER BY step',
          [series, end ?? MAX_STEP],
        ),
      ]);
      if (!range) return undefined;
      const steps = found.map((r) => BigInt(r.step));
      const pieces: StepPiece[] =
        steps.length > 0 ? [{ lo: steps[0], hi: steps[steps.length - 1], count: steps.length, steps }] : [];
      return { lo: range.lo, hi: range.hi, pieces };
    },

    stepRange,

    async page(series, limit, after) {
      // LIMIT NULL is no limit.
      const n = limit ?? null;
      if (!after)
        return query<StoredPoint>(`SELECT ${COLS} FROM metric_points WHERE series_id = $1 ${ORDER} LIMIT $2::int8`, [
          series,
          n,
        ]);
      return query<StoredPoint>(
        `SELECT ${COLS} FROM metric_points WHERE series_id = $1 AND (timestamp, step, is_nan, value) > ($2::int8, $3::int8, $4::int4, $5::float8) ${ORDER} LIMIT $6::int8`,
        [series, after.timestamp, after.step, after.isNan, after.value, n],
      );
    },

    async sampleSteps(series, count, start, end) {
      const [range] = await query<{ lo: number | bigint | null; hi: number | bigint | null }>(
        'SELECT min(step) AS lo, max(step) AS hi FROM metric_points WHERE series_id = $1',
        [series],
      );
      const bounds = clampSteps(range, start, end);
      if (!bounds) return [];
      const { lo, hi } = bounds;
      // The first stored step at or after each target, those within the range, at most `count`:
      // the same steps the SQLite reader finds seeking one target at a time.
      const rows = await query<{ step: number | bigint }>(
        `SELECT DISTINCT f.step FROM unnest($2::int8[]) AS t(target)
         CROSS JOIN LATERAL (SELECT step FROM metric_points WHERE series_id = $1 AND step >= t.target ORDER BY step LIMIT 1) f
         WHERE f.step <= $3::int8 ORDER BY f.step LIMIT $4`,
        [series, sampleTargets(lo, hi, count), hi, count],
      );
      return rows.map((r) => BigInt(r.step));
    },

    async atSteps(series, steps) {
      if (steps.length === 0) return [];
      return query<StoredPoint>(
        `SELECT ${COLS} FROM metric_points WHERE series_id = $1 AND step = ANY($2::int8[]) ORDER BY step, timestamp, is_nan, value`,
        [series, steps],
      );
    },
  };
}
