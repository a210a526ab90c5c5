/**
 * The steps MLflow's `get-history-bulk-interval` returns, computed as MLflow 2.17 computes them:
 * over the sorted union of the distinct steps the runs logged (within [start, end]; without a
 * range, [0, last step]), `max` steps taken at index `floor(i * n / max)` plus the last step, and
 * every run's own first and last step in range, so each run's curve keeps its ends.
 */
export function mlflowSampledSteps(
  runSteps: bigint[][],
  max: number,
  range?: { start: bigint; end: bigint },
): bigint[] {
  const union = [...new Set(runSteps.flat())].sort(compare);
  const start = range?.start ?? 0n;
  const end = range?.end ?? (union.length > 0 ? union[union.length - 1] : 0n);
  const first = union.findIndex((s) => s >= start);
  const from = first === -1 ? union.length : first;
  let to = from;
  while (to < union.length && union[to] <= end) to++;
  const picked = new Set<bigint>();
  const count = to - from;
  if (count <= max) {
    for (let i = from; i < to; i++) picked.add(union[i]);
  } else {
    const interval = count / max;
    for (let i = 0; i < max; i++) {
      const index = from + Math.floor(i * interval);
      // MLflow compares the absolute index with the count of steps in range; kept for identical picks.
      if (index < count) picked.add(union[index]);
    }
    picked.add(union[to - 1]);
  }
  for (const steps of runSteps) {
    if (steps.length === 0) continue;
    let lo = steps[0];
    let hi = steps[0];
    for (const s of steps) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    for (const s of [lo, hi]) if (s >= start && s <= end) picked.add(s);
  }
  return [...picked].sort(compare);
}

const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
