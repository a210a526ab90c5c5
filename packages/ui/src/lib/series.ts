/**
 * Chart data: per-run columns from the chart endpoint (`/api/trove/v1/metrics/chart`, already
 * downsampled on the server), turned into series, reduced to what a chart can show, and aligned on
 * one x axis for uPlot. Pure; the chart components only draw.
 */

/** One run's points as the chart endpoint sends them: columns in step order; a value may be "NaN". */
export interface ChartColumns {
  run_id: string;
  steps: readonly (number | bigint | string)[];
  timestamps: readonly (number | bigint | string)[];
  values: readonly (number | string)[];
}

export interface Series {
  runId: string;
  steps: number[];
  values: number[];
  timestamps: number[];
}

/** The x axes a series gives by itself. */
export type TimeXMode = 'step' | 'relative' | 'wall';
/** A line chart's x axis: one of the series' own, or another metric of the same run (`metric:<key>`, see `x-metric.ts`). */
export type XMode = TimeXMode | `metric:${string}`;

/**
 * One series per run, in `runOrder` (runs missing from `columns` get an empty one), each in step
 * order. Where a run logged several values at one step, the latest by timestamp wins (MLflow's
 * chart shows the latest too).
 */
export function seriesFromColumns(columns: readonly ChartColumns[], runOrder: readonly string[] = []): Series[] {
  const byRun = new Map<string, Series>();
  for (const id of runOrder) byRun.set(id, { runId: id, steps: [], values: [], timestamps: [] });
  for (const c of columns) {
    const points = c.steps.map((step, i) => ({
      step: Number(step),
      timestamp: Number(c.timestamps[i]),
      value: Number(c.values[i]),
    }));
    points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    const s: Series = { runId: c.run_id, steps: [], values: [], timestamps: [] };
    for (const p of points) {
      const last = s.steps.length - 1;
      if (last >= 0 && s.steps[last] === p.step) {
        s.values[last] = p.value;
        s.timestamps[last] = p.timestamp;
      } else {
        s.steps.push(p.step);
        s.values.push(p.value);
        s.timestamps.push(p.timestamp);
      }
    }
    byRun.set(c.run_id, s);
  }
  return [...byRun.values()];
}

/** The x values of a series for an axis mode: step, seconds since the run's first point, or wall-clock seconds. */
export function xValues(s: Series, mode: TimeXMode): number[] {
  if (mode === 'step') return s.steps;
  if (mode === 'wall') return s.timestamps.map((t) => t / 1000);
  const t0 = s.timestamps.length > 0 ? Math.min(...s.timestamps) : 0;
  return s.timestamps.map((t) => (t - t0) / 1000);
}

/**
 * Walks `xs` (ascending) bucket by bucket and hands `keep` each bucket's extremes in x order: its
 * minimum and maximum y (one index when they coincide), or its first point when it holds no finite
 * y, so a gap still breaks the line. Both downsamplers below are this walk with other buckets.
 */
function eachBucketExtremes(
  xs: readonly number[],
  ys: readonly (number | null)[],
  bucketOf: (x: number) => number,
  keep: (bucket: number, indexes: number[]) => void,
): void {
  let i = 0;
  while (i < xs.length) {
    const bucket = bucketOf(xs[i]);
    let minI = -1;
    let maxI = -1;
    let j = i;
    for (; j < xs.length && bucketOf(xs[j]) === bucket; j++) {
      const y = ys[j];
      if (y === null || !Number.isFinite(y)) continue;
      if (minI < 0 || y < (ys[minI] as number)) minI = j;
      if (maxI < 0 || y > (ys[maxI] as number)) maxI = j;
    }
    if (minI < 0) keep(bucket, [i]);
    else keep(bucket, minI === maxI ? [minI] : [Math.min(minI, maxI), Math.max(minI, maxI)]);
    i = j;
  }
}

/**
 * Min/max bucket downsampling: at most `2 * buckets` points, keeping each bucket's extremes in x
 * order, so spikes survive (an average would hide them). `xs` must be ascending.
 */
export function downsampleMinMax(
  xs: readonly number[],
  ys: readonly number[],
  buckets: number,
): { xs: number[]; ys: number[] } {
  const n = xs.length;
  if (n <= buckets * 2 || buckets < 1) return { xs: xs.slice(), ys: ys.slice() };
  const outX: number[] = [];
  const outY: number[] = [];
  const lo = xs[0];
  const width = (xs[n - 1] - lo) / buckets || 1;
  eachBucketExtremes(
    xs,
    ys,
    (x) => Math.min(buckets - 1, Math.floor((x - lo) / width)),
    (_, kept) => {
      for (const k of kept) {
        outX.push(xs[k]);
        outY.push(ys[k]);
      }
    },
  );
  return { xs: outX, ys: outY };
}

/**
 * Several series on one shared grid of `cells` x cells: per series and cell, the minimum and the
 * maximum (in x order) at the cell's start and middle. uPlot draws every series over the union
 * of all x values (`alignSeries`); 100 downsampled runs on their own steps made that union ~50k
 * wide, so 5M slots to fill and walk. On a shared grid the union is at most 2 × `cells`. Points
 * move by less than one cell (well under a pixel at 1500 cells); integer x (steps, epoch
 * milliseconds) stays integer. A single series, or one whose points already fit, is returned as is.
 */
export function snapToSharedGrid<S extends { xs: readonly number[]; ys: readonly (number | null)[] }>(
  series: readonly S[],
  cells: number,
): { xs: number[]; ys: (number | null)[] }[] | readonly S[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let total = 0;
  for (const s of series) {
    if (s.xs.length === 0) continue;
    lo = Math.min(lo, s.xs[0]);
    hi = Math.max(hi, s.xs[s.xs.length - 1]);
    total += s.xs.length;
  }
  if (series.length < 2 || total <= cells * 2 || !(hi > lo)) return series;
  const width = (hi - lo) / cells;
  const integral = series.every((s) => s.xs.every(Number.isInteger));
  const at = (cell: number, half: boolean) => {
    const x = lo + (cell + (half ? 0.5 : 0)) * width;
    return integral ? Math.round(x) : x;
  };
  return series.map(({ xs, ys }) => {
    const outX: number[] = [];
    const outY: (number | null)[] = [];
    eachBucketExtremes(
      xs,
      ys,
      (x) => Math.min(cells - 1, Math.floor((x - lo) / width)),
      (cell, kept) =>
        kept.forEach((k, n) => {
          outX.push(at(cell, n === 1));
          outY.push(ys[k]);
        }),
    );
    return { xs: outX, ys: outY };
  });
}

/** uPlot's data layout: one shared ascending x array, one y array per series (null = no point there). */
export type AlignedData = [number[], ...(number | null)[][]];

/**
 * Aligns several (x, y) series (each in ascending x) on one ascending x array: the sorted union of
 * their x values, where an x that one series holds k times gets k slots. A metric x axis repeats
 * values (every step of an epoch has the same `epoch`), and one slot per value would keep only
 * one of those points.
 */
export function alignSeries(series: readonly { xs: readonly number[]; ys: readonly (number | null)[] }[]): AlignedData {
  const slots = new Map<number, number>();
  for (const s of series) {
    const held = new Map<number, number>();
    for (const x of s.xs) {
      const n = (held.get(x) ?? 0) + 1;
      held.set(x, n);
      if (n > (slots.get(x) ?? 0)) slots.set(x, n);
    }
  }
  const xs: number[] = [];
  const firstSlot = new Map<number, number>();
  for (const x of [...slots.keys()].sort((a, b) => a - b)) {
    firstSlot.set(x, xs.length);
    for (let k = slots.get(x)!; k > 0; k--) xs.push(x);
  }
  const out: AlignedData = [xs];
  for (const s of series) {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    const used = new Map<number, number>();
    for (let i = 0; i < s.xs.length; i++) {
      const x = s.xs[i];
      const k = used.get(x) ?? 0;
      used.set(x, k + 1);
      const y = s.ys[i];
      ys[firstSlot.get(x)! + k] = y === null || Number.isNaN(y) ? null : y;
    }
    out.push(ys);
  }
  return out;
}

/** The [min, max] x of some series (null when all are empty). */
export function xExtent(series: readonly Series[]): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    if (s.steps.length === 0) continue;
    lo = Math.min(lo, s.steps[0]);
    hi = Math.max(hi, s.steps[s.steps.length - 1]);
  }
  return lo <= hi ? [lo, hi] : null;
}
