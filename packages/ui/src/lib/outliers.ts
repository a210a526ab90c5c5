/**
 * "Ignore outliers" for line charts: the y range that holds the middle of the drawn values (by
 * default the 2nd to 98th percentile, padded 5%), so one spike does not flatten every curve. On a
 * log axis (`log`) only positive values count and the padding is a factor, so the range stays > 0.
 */
export function clippedRange(
  columns: readonly (readonly (number | null | undefined)[])[],
  lower = 0.02,
  upper = 0.98,
  log = false,
): [number, number] | null {
  let n = 0;
  for (const c of columns) n += c.length;
  const all = new Float64Array(n);
  let k = 0;
  for (const c of columns)
    for (const v of c) if (v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0)) all[k++] = v;
  if (k === 0) return null;
  const sorted = all.subarray(0, k).sort();
  const at = (q: number) => sorted[Math.min(k - 1, Math.max(0, Math.round(q * (k - 1))))];
  const lo = at(lower);
  const hi = at(upper);
  if (log) return [lo / 1.1, hi * 1.1];
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  return [lo - pad, hi + pad];
}
