/**
 * What a line chart's tooltip lists for the pointer's x: each run's value at its point nearest that
 * x (binary search per series), the run nearest the pointer (in pixels) and the few nearest it,
 * sorted by value. Runs once per mouse move over up to 100 series of ≤1000 points, so it reuses
 * its buffers instead of allocating per move.
 */

export interface HoverSeries {
  runId: string;
  label: string;
  color: string;
  /** Ascending x of the drawn points, and their y (null: a gap). */
  xs: readonly number[];
  ys: readonly (number | null)[];
}

/** Index of the x in `xs` (ascending) nearest `x`; -1 when empty. */
export function nearestIndex(xs: readonly number[], x: number): number {
  const n = xs.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && x - xs[lo - 1] <= xs[lo] - x ? lo - 1 : lo;
}

export class HoverRanker {
  readonly values: Float64Array;
  readonly steps: Float64Array;
  /** Series indexes of the listed runs, `count` of them, highest value first. */
  readonly order: Int32Array;
  private readonly dist: Float64Array;
  count = 0;
  /** Series with a value at the ranked x, listed or not. */
  matched = 0;
  /** Series index of the run nearest the pointer, -1 when none has a value here. */
  nearest = -1;

  constructor(readonly series: readonly HoverSeries[]) {
    const n = series.length;
    this.values = new Float64Array(n);
    this.steps = new Float64Array(n);
    this.dist = new Float64Array(n);
    this.order = new Int32Array(n);
  }

  /**
   * Ranks the series at data-x `x`. A series counts when `x` lies within its x range (give or take
   * `xSlack`). `toPixel` maps a value to its y pixel, compared with the pointer's `pointerY`; the
   * `limit` runs nearest the pointer are kept, then sorted by value, highest first.
   */
  rank(x: number, xSlack: number, pointerY: number, toPixel: (v: number) => number, limit: number): void {
    const { series, values, steps, dist, order } = this;
    let count = 0;
    for (let s = 0; s < series.length; s++) {
      const { xs, ys } = series[s];
      if (xs.length === 0 || x < xs[0] - xSlack || x > xs[xs.length - 1] + xSlack) continue;
      const i = nearestIndex(xs, x);
      const y = ys[i];
      if (y === null || !Number.isFinite(y)) continue;
      values[s] = y;
      steps[s] = xs[i];
      dist[s] = Math.abs(toPixel(y) - pointerY);
      order[count++] = s;
    }
    const listed = order.subarray(0, count);
    listed.sort((a, b) => dist[a] - dist[b]);
    this.nearest = count > 0 ? listed[0] : -1;
    this.matched = count;
    this.count = Math.min(count, limit);
    order.subarray(0, this.count).sort((a, b) => values[b] - values[a]);
  }
}
