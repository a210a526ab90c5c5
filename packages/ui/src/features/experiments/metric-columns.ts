/**
 * The compare-experiments list's metric columns: which metric keys the loaded runs have, which
 * ones to show by default, and the single-column sort. Pure.
 */
import type { Run } from '../../api/types.ts';
import type { SortKey } from '../../lib/url-state.ts';
import { ALL_COLUMNS } from '../runs/column-choice.ts';

const PREFIX = 'metrics.';
const isSystem = (key: string) => key.startsWith('system/');

/** Every metric key of the runs, sorted, hardware (`system/…`) metrics last. */
export function metricKeysOf(runs: readonly Run[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const m of r.data.metrics ?? []) keys.add(m.key);
  const sorted = [...keys].sort();
  return [...sorted.filter((k) => !isSystem(k)), ...sorted.filter(isSystem)];
}

/** Column ids (`metrics.<key>`) of the `max` metrics most runs have, hardware ones left out, in key order. */
export function defaultMetricColumns(runs: readonly Run[], max = 4): string[] {
  const counts = new Map<string, number>();
  for (const r of runs)
    for (const m of r.data.metrics ?? []) if (!isSystem(m.key)) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([k]) => k)
    .sort()
    .map((k) => PREFIX + k);
}

/** The URL's `col` as metric column ids: its own list, every key for `*`, the defaults when absent. */
export function chosenMetricColumns(col: readonly string[] | null, runs: readonly Run[]): string[] {
  if (!col) return defaultMetricColumns(runs);
  if (col.includes(ALL_COLUMNS)) return metricKeysOf(runs).map((k) => PREFIX + k);
  return col.filter((c) => c.startsWith(PREFIX));
}

/** The run's latest value of a metric (what `runs/search` returns), or undefined. */
export function latestMetric(run: Run, key: string): number | string | undefined {
  return run.data.metrics?.find((m) => m.key === key)?.value;
}

/** A header click: ascending, then descending, then back to the default order (newest first). */
export function nextSort(current: readonly SortKey[], id: string): SortKey[] {
  const now = current[0];
  if (now?.id !== id) return [{ id, desc: false }];
  return now.desc ? [] : [{ id, desc: true }];
}
