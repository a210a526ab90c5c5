/** The run page's metric rows: each metric's latest value (from the run) beside its min and max (from the server). Pure. */

export interface LatestMetric {
  key: string;
  value: number | string;
  step?: number;
}

export interface MetricRange {
  key: string;
  min: number | null;
  max: number | null;
  count: number;
}

export interface MetricRow {
  key: string;
  latest: number | string;
  step: number;
  /** Undefined while the ranges are loading (or when they failed); null when every value was NaN. */
  min?: number | null;
  max?: number | null;
  count?: number;
}

/** Case-insensitive substring match on a key; an empty query matches everything. */
export function keyMatches(key: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || key.toLowerCase().includes(q);
}

/** One row per latest metric whose key matches `query`, sorted by key, with its range when known. */
export function metricRows(
  latest: readonly LatestMetric[],
  ranges: readonly MetricRange[] | undefined,
  query: string,
): MetricRow[] {
  const byKey = new Map((ranges ?? []).map((r) => [r.key, r]));
  return latest
    .filter((m) => keyMatches(m.key, query))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((m) => {
      const range = byKey.get(m.key);
      const row: MetricRow = { key: m.key, latest: m.value, step: m.step ?? 0 };
      return range ? { ...row, min: range.min, max: range.max, count: range.count } : row;
    });
}
