import type { Store } from '../store.ts';
import type { SeriesSteps, StepPiece } from './chunk-steps.ts';
import type { ChartPoint } from './m4-downsample.ts';
import { createPostgresMetricReader } from './postgres-metric-reader.ts';
import { createSqliteMetricReader } from './sqlite-metric-reader.ts';

/** A stored point as read back; int64 columns are numbers unless beyond 2^53 (then BigInt). */
export interface StoredPoint {
  timestamp: number | bigint;
  step: number | bigint;
  is_nan: number;
  value: number;
  model_id: string | null;
  dataset_name: string | null;
  dataset_digest: string | null;
}

/**
 * A history page as columns, in history order (a series stored only as chunks): `values` holds NaN
 * for a NaN point; timestamps and steps are float64 (each exact) or, when a chunk of the page holds
 * int64 beyond 2^53, int64. No model or dataset ids: chunks hold none.
 */
export type HistoryColumns = { length: number; values: Float64Array } & (
  | { timestamps: Float64Array; steps: Float64Array }
  | { timestamps: BigInt64Array; steps: BigInt64Array }
);

export interface HistoryCursor {
  timestamp: number | bigint;
  step: number | bigint;
  isNan: number;
  value: number;
}

/**
 * Metric history reads: keyset pages in MLflow's history order (timestamp, step, is_nan, value)
 * and step sampling through the (series_id, step) index, whose cost grows with the points
 * returned, not the points stored.
 */
export interface MetricReader {
  /** The series id of (run, key), if the run has that metric. */
  findSeries(runId: number, key: string): Promise<number | undefined>;
  /**
   * What changes whenever the series' points do (its point count, which every write adds to, and
   * its layout): a page read after this was read holds everything up to it. Undefined: no series.
   */
  seriesVersion(series: number): Promise<string | undefined>;
  /** One page of history after `after`; `limit` undefined means everything. */
  page(series: number, limit: number | undefined, after: HistoryCursor | undefined): Promise<StoredPoint[]>;
  /**
   * `page` for a writer of JSON: columns for a series stored only as chunks (no object per point),
   * point objects for the others.
   */
  historyPage(
    series: number,
    limit: number | undefined,
    after: HistoryCursor | undefined,
  ): Promise<StoredPoint[] | HistoryColumns>;
  /** Distinct steps of a series within [start, end], at most `count`, evenly spread over the step range. */
  sampleSteps(series: number, count: number, start?: bigint, end?: bigint): Promise<bigint[]>;
  /** Every point at the given steps, ordered by step, then history order. */
  atSteps(series: number, steps: bigint[]): Promise<StoredPoint[]>;
  /**
   * The series' distinct steps up to `end` (all without one), in pieces (`chunk-steps.ts`): chunked
   * series from chunk metadata, without reading points; undefined when it has no point.
   */
  stepPieces(series: number, end?: bigint): Promise<SeriesSteps | undefined>;
  /** The distinct steps of `pieces` (from `stepPieces`, of any series), each within its [lo, hi], ascending. */
  pieceSteps(pieces: StepPiece[]): Promise<bigint[][]>;
  /**
   * The series over [start, end] for a chart, in step order: every point when there are at most
   * `max`, else about `max` points keeping each step bucket's first, min, max and last
   * (`chart-reader.ts`; chunked series answer from chunk summaries when the range spans many chunks).
   */
  chart(series: number, max: number, start?: bigint, end?: bigint): Promise<ChartPoint[]>;
  /**
   * The runs among `runUuids` whose experiment is in workspace `workspaceId`, each with its series
   * of `key` (undefined when the run has no such metric), in one query: run uuid → series id.
   * A uuid missing from the map is no run of the workspace.
   */
  chartRuns(workspaceId: number, runUuids: string[], key: string): Promise<Map<string, number | undefined>>;
  /**
   * `chart` of each series (an undefined series charts as no points), handed to `each` as soon as
   * it is read; `each`'s results in the given order. Only those results are kept: holding 100
   * series' points until the last is read cost ~12% more time (GC) than dropping each one at once.
   * PostgreSQL reads `CHART_CONCURRENCY` series at a time; SQLite, synchronous underneath, one
   * after another.
   */
  charts<T>(
    series: (number | undefined)[],
    max: number,
    start: bigint | undefined,
    end: bigint | undefined,
    each: (points: ChartPoint[], index: number) => T,
  ): Promise<T[]>;
}

export type { SeriesSteps, StepPiece } from './chunk-steps.ts';
export type { ChartPoint } from './m4-downsample.ts';

/** SQLite chart reads between turns of the event loop (`charts`). */
const YIELD_EVERY_SERIES = 8;

/** The history reader of the store's dialect: the one place the choice is made. */
export function createMetricReader(store: Store): MetricReader {
  if (store.ddl.name === 'postgres') return createPostgresMetricReader(store);
  const reader = createSqliteMetricReader(store.sqlite as NonNullable<Store['sqlite']>);
  // better-sqlite3 is synchronous: the prepared statements run as they are, wrapped in promises.
  return {
    findSeries: async (runId, key) => reader.findSeries(runId, key),
    seriesVersion: async (series) => reader.seriesVersion(series),
    page: async (series, limit, after) => reader.page(series, limit, after),
    historyPage: async (series, limit, after) => reader.historyPage(series, limit, after),
    sampleSteps: async (series, count, start, end) => reader.sampleSteps(series, count, start, end),
    atSteps: async (series, steps) => reader.atSteps(series, steps),
    stepPieces: async (series, end) => reader.stepPieces(series, end),
    pieceSteps: async (pieces) => reader.pieceSteps(pieces),
    chart: (series, max, start, end) => reader.chart(series, max, start, end),
    chartRuns: async (workspaceId, runUuids, key) => reader.chartRuns(workspaceId, runUuids, key),
    async charts(series, max, start, end, each) {
      const out = [];
      for (const [i, id] of series.entries()) {
        // A chart of 100 long series holds the event loop for 100+ ms; between series the
        // server answers what queued meanwhile (the page's script chunks, its other requests).
        if (i > 0 && i % YIELD_EVERY_SERIES === 0) await new Promise(setImmediate);
        out.push(each(id === undefined ? [] : await reader.chart(id, max, start, end), i));
      }
      return out;
    },
  };
}

/**
 * Step targets spread evenly over [lo, hi]: `count` of them (at least the two ends). Shared by
 * both dialects so that they sample the same steps.
 */
export function sampleTargets(lo: bigint, hi: bigint, count: number): bigint[] {
  const span = hi - lo;
  const slots = BigInt(Math.max(1, count - 1));
  const targets: bigint[] = [];
  for (let i = 0n; i <= slots; i++) targets.push(lo + (span * i) / slots);
  return targets;
}

/** A series' stored step range narrowed to [start, end]; undefined when nothing is left. */
export function clampSteps(
  range: { lo: number | bigint | null; hi: number | bigint | null } | undefined,
  start?: bigint,
  end?: bigint,
): { lo: bigint; hi: bigint } | undefined {
  if (!range || range.lo === null || range.hi === null) return undefined;
  let lo = BigInt(range.lo);
  let hi = BigInt(range.hi);
  if (start !== undefined && start > lo) lo = start;
  if (end !== undefined && end < hi) hi = end;
  return lo > hi ? undefined : { lo, hi };
}
