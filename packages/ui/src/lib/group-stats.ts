/** Min, max and mean of a group's values; what a grouped runs table shows per metric column. */
export interface GroupStats {
  min: number;
  max: number;
  mean: number;
  /** How many values were finite numbers (the others are left out of the summary). */
  count: number;
}

/** Summarises the finite numbers among `values` (numeric strings count; NaN, ±Infinity and blanks do not); undefined when there are none. */
export function summarize(values: Iterable<number | string | undefined>): GroupStats | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const raw of values) {
    if (raw === undefined || raw === '') continue;
    const v = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  return count === 0 ? undefined : { min, max, mean: sum / count, count };
}
