/**
 * Min/max-preserving downsampling for charts (M4: each bucket of the step range keeps its first,
 * minimum, maximum and last point), so a chart of a long series keeps its spikes and its ends
 * while drawing a few points per pixel column. Pure: the chart readers feed it points.
 */

/** A point as charts take it: `value` is NaN for a NaN point; int64 fields are numbers, or BigInt beyond 2^53. */
export interface ChartPoint {
  step: number | bigint;
  timestamp: number | bigint;
  value: number;
}

/** Chart order: by step, then MLflow's history order (timestamp, numbers before NaN, value). */
export function compareChartOrder(a: ChartPoint, b: ChartPoint): number {
  if (a.step !== b.step) return a.step < b.step ? -1 : 1;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  const an = Number.isNaN(a.value);
  const bn = Number.isNaN(b.value);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** The bucket of a step when [lo, hi] is cut into `count` spans of equal width (0..count-1). */
export function stepBuckets(lo: bigint, hi: bigint, count: number): (step: number | bigint) => number {
  const span = hi - lo + 1n;
  const last = count - 1;
  const clamp = (b: number) => Math.min(Math.max(b, 0), last);
  const safe = (v: bigint) => v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
  if (safe(lo) && safe(hi) && safe(span * BigInt(count))) {
    // Plain numbers when every product fits in 2^53 (always, in practice): BigInt arithmetic per point costs ~10x.
    const l = Number(lo);
    const s = Number(span);
    return (step) => clamp(Math.floor(((Number(step) - l) * count) / s));
  }
  const c = BigInt(count);
  return (step) => clamp(Number(((BigInt(step) - lo) * c) / span));
}

interface Slot {
  first: ChartPoint;
  last: ChartPoint;
  min?: ChartPoint;
  max?: ChartPoint;
}

/**
 * Per bucket, the first and last point (chart order) and the points holding the minimum and
 * maximum value. NaN never counts as a minimum or maximum, but a bucket of only NaN points still
 * keeps its first and last, so the chart shows the gap. Points may arrive in any order.
 */
export class M4Buckets {
  private readonly slots = new Map<number, Slot>();

  add(p: ChartPoint, bucket: number): void {
    const slot = this.slots.get(bucket);
    const number = !Number.isNaN(p.value);
    if (!slot) {
      this.slots.set(bucket, number ? { first: p, last: p, min: p, max: p } : { first: p, last: p });
      return;
    }
    // Readers mostly add in chart order: one comparison settles that case.
    if (compareChartOrder(p, slot.last) >= 0) slot.last = p;
    else if (compareChartOrder(p, slot.first) < 0) slot.first = p;
    if (!number) return;
    const { min, max } = slot;
    if (!min || p.value < min.value || (p.value === min.value && compareChartOrder(p, min) < 0)) slot.min = p;
    if (!max || p.value > max.value || (p.value === max.value && compareChartOrder(p, max) < 0)) slot.max = p;
  }

  /** Every bucket's points, each once, in chart order. */
  points(): ChartPoint[] {
    const out: ChartPoint[] = [];
    for (const { first, min, max, last } of this.slots.values()) {
      for (const p of new Set([first, min, max, last])) if (p) out.push(p);
    }
    return out.sort(compareChartOrder);
  }
}

/** First, minimum, maximum and last of some points, each once, in chart order (one M4 bucket). */
export function firstMinMaxLast(points: Iterable<ChartPoint>): ChartPoint[] {
  const m4 = new M4Buckets();
  for (const p of points) m4.add(p, 0);
  return m4.points();
}

/**
 * A chart's points over the step range [lo, hi]: every point while there are at most `max`, and
 * once there are more, M4 over `max / 4` equal step spans (so at most `max` points). Memory stays
 * at `max` points plus the buckets however many points are added.
 */
export class Downsampler {
  private all: ChartPoint[] | undefined = [];
  private readonly m4 = new M4Buckets();
  private readonly bucketOf: (step: number | bigint) => number;

  constructor(
    lo: bigint,
    hi: bigint,
    private readonly max: number,
  ) {
    this.bucketOf = stepBuckets(lo, hi, bucketCount(max));
  }

  add(p: ChartPoint): void {
    if (!this.all) {
      this.m4.add(p, this.bucketOf(p.step));
      return;
    }
    this.all.push(p);
    if (this.all.length > this.max) {
      for (const q of this.all) this.m4.add(q, this.bucketOf(q.step));
      this.all = undefined;
    }
  }

  points(): ChartPoint[] {
    return this.all ? this.all.sort(compareChartOrder) : this.m4.points();
  }
}

/** M4 buckets for a chart of at most `max` points (four per bucket). */
export function bucketCount(max: number): number {
  return Math.max(1, Math.floor(max / 4));
}
