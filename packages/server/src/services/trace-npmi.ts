/**
 * Normalized pointwise mutual information of two trace filters from their counts, as MLflow's
 * `calculate_npmi_from_counts` defines it: NaN where undefined (no population, a filter with no
 * support, inconsistent counts), -1 unsmoothed when the filters never co-occur, and a smoothed
 * value with Jeffreys' prior (0.5 added to each cell of the 2×2 table).
 */
const JEFFREYS_PRIOR = 0.5;

export interface Npmi {
  npmi: number;
  npmiSmoothed: number;
}

export function npmiFromCounts(joint: number, filter1: number, filter2: number, total: number): Npmi {
  const undefinedResult = { npmi: Number.NaN, npmiSmoothed: Number.NaN };
  if (total <= 0 || filter1 === 0 || filter2 === 0) return undefinedResult;
  const n11 = joint;
  const n10 = filter1 - joint;
  const n01 = filter2 - joint;
  const n00 = total - filter1 - filter2 + joint;
  if (Math.min(n11, n10, n01, n00) < 0) return undefinedResult;
  return {
    npmi: joint === 0 ? -1 : core(n11, n10, n01, n00, 0),
    npmiSmoothed: core(n11, n10, n01, n00, JEFFREYS_PRIOR),
  };
}

function core(n11: number, n10: number, n01: number, n00: number, smoothing: number): number {
  const [a, b, c, d] = [n11 + smoothing, n10 + smoothing, n01 + smoothing, n00 + smoothing];
  const n = a + b + c + d;
  const n1 = a + b;
  const n2 = a + c;
  if (n1 <= 0 || n2 <= 0 || a <= 0) return Number.NaN;
  // Always together: perfect co-occurrence (judged on the counts before smoothing).
  if (n10 === 0 && n01 === 0 && n00 === 0) return 1;
  const pmi = Math.log(a) + Math.log(n) - (Math.log(n1) + Math.log(n2));
  const npmi = pmi / -(Math.log(a) - Math.log(n));
  return Math.max(-1, Math.min(1, npmi));
}
