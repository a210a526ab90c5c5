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
