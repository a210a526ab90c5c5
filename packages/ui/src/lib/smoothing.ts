/**
 * Exponential moving average with TensorBoard's debiasing: the first points are not pulled
 * toward zero. `weight` 0 = raw values, 0.99 = very smooth. Gaps (null) and NaN pass through
 * as null without resetting the average; ±Infinity is skipped the same way. Pure.
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return values.map((v) => (v === null || Number.isNaN(v) ? null : v));
  let last = 0;
  let debias = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * w + (1 - w) * v;
    debias = debias * w + (1 - w);
    return last / debias;
  });
}
