/** Box plots: quartiles, Tukey whiskers (1.5 × IQR) and outliers of a metric per group of runs. Pure. */

/** The `p` quantile (0..1) of ascending `sorted` values, linearly interpolated (R type 7, NumPy's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

export interface BoxStats {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  /** The furthest values within 1.5 × IQR of the box. */
  whiskerLow: number;
  whiskerHigh: number;
  outliers: number[];
}

/** Statistics of the finite values, or null when there are none. */
export function boxStats(values: readonly (number | null)[]): BoxStats | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - fence && v <= q3 + fence);
  return {
    n: sorted.length,
    min: sorted[0],
    q1,
    median: quantile(sorted, 0.5),
    q3,
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    whiskerLow: inside[0],
    whiskerHigh: inside[inside.length - 1],
    outliers: sorted.filter((v) => v < q1 - fence || v > q3 + fence),
  };
}

export interface BoxGroup {
  group: string;
  stats: BoxStats;
}

const natural = new Intl.Collator('en', { numeric: true });

/** One box per distinct group value (natural order); runs without a group or a value are left out. */
export function groupBoxes(groups: readonly (string | undefined)[], values: readonly (number | null)[]): BoxGroup[] {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const v = values[i];
    if (g === undefined || g === '' || v === null || !Number.isFinite(v)) return;
    const list = byGroup.get(g);
    if (list) list.push(v);
    else byGroup.set(g, [v]);
  });
  return [...byGroup.keys()].sort(natural.compare).map((group) => ({ group, stats: boxStats(byGroup.get(group)!)! }));
}
