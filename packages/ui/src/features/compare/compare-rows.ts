/** Side-by-side rows for the compare page: one row per key, one cell per run, and whether they differ. Pure. */

export interface CompareRow {
  key: string;
  values: (string | undefined)[];
  differs: boolean;
}

/** Rows for every key any run has, sorted; a key missing from some runs counts as a difference. */
export function compareRows(perRun: readonly Map<string, string>[]): CompareRow[] {
  const keys = new Set<string>();
  for (const m of perRun) for (const k of m.keys()) keys.add(k);
  return [...keys].sort().map((key) => {
    const values = perRun.map((m) => m.get(key));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}

/**
 * The key most runs have, the first in key order on a tie (the compare page charts this metric
 * unless the URL names one); '' when no run has any.
 */
export function commonestKey(perRun: readonly ReadonlyMap<string, unknown>[]): string {
  const counts = new Map<string, number>();
  for (const m of perRun) for (const k of m.keys()) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [key, n] of counts)
    if (n > bestCount || (n === bestCount && key < best)) {
      best = key;
      bestCount = n;
    }
  return best;
}

export interface BaselineCell {
  /** The value differs from the baseline run's (missing on one side counts). */
  changed: boolean;
  /** value − baseline when both are numbers, else null. */
  delta: number | null;
}

/** Each cell of a row compared with the baseline run's cell (column `base`). */
export function againstBaseline(row: CompareRow, base: number): BaselineCell[] {
  return row.values.map((_, i) => baselineCell(row, base, i));
}

/** Cell `index` of a row compared with the baseline run's cell (column `base`). */
export function baselineCell(row: CompareRow, base: number, index: number): BaselineCell {
  if (index === base) return { changed: false, delta: null };
  const v = row.values[index];
  const b = row.values[base];
  const n = asNumber(v);
  const bn = asNumber(b);
  return { changed: v !== b, delta: n !== null && bn !== null && v !== b ? n - bn : null };
}

function asNumber(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Paths every run has (runs with no listing count as having none), sorted. */
export function commonPaths(perRun: readonly (readonly string[])[]): string[] {
  if (perRun.length === 0) return [];
  let common = new Set(perRun[0]);
  for (const paths of perRun.slice(1)) {
    const here = new Set(paths);
    common = new Set([...common].filter((p) => here.has(p)));
  }
  return [...common].sort();
}
