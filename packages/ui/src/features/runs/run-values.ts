/** Reading one run's params/metrics/tags by column id, and the keys a set of runs has. */
import type { Run } from '../../api/types.ts';

interface Lookup {
  params: Map<string, string>;
  metrics: Map<string, number | string>;
  tags: Map<string, string>;
}

const cache = new WeakMap<Run, Lookup>();

/** Maps built once per run object (runs from the API are never mutated). */
export function lookup(run: Run): Lookup {
  let l = cache.get(run);
  if (!l) {
    l = {
      params: new Map((run.data.params ?? []).map((p) => [p.key, p.value])),
      metrics: new Map((run.data.metrics ?? []).map((m) => [m.key, m.value])),
      tags: new Map((run.data.tags ?? []).map((t) => [t.key, t.value])),
    };
    cache.set(run, l);
  }
  return l;
}

export type DataGroup = 'metrics' | 'params' | 'tags';
export const GROUPS: readonly DataGroup[] = ['metrics', 'params', 'tags'];

export function cellValue(run: Run, group: DataGroup, key: string): string | number | undefined {
  return lookup(run)[group].get(key);
}

export function runName(run: Run): string {
  return run.info.run_name || lookup(run).tags.get('mlflow.runName') || run.info.run_id.slice(0, 8);
}

/** Every key present in any of `runs`, per group, sorted. System tags (`mlflow.*`) are left out. */
export function collectKeys(runs: readonly Run[]): Record<DataGroup, string[]> {
  const sets: Record<DataGroup, Set<string>> = { metrics: new Set(), params: new Set(), tags: new Set() };
  for (const run of runs) {
    for (const m of run.data.metrics ?? []) sets.metrics.add(m.key);
    for (const p of run.data.params ?? []) sets.params.add(p.key);
    for (const t of run.data.tags ?? []) if (!t.key.startsWith('mlflow.')) sets.tags.add(t.key);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { metrics: sorted(sets.metrics), params: sorted(sets.params), tags: sorted(sets.tags) };
}

/**
 * The loaded runs' keys plus the experiment's registered ones (runs not loaded yet), per group,
 * sorted. The loaded runs still count, so nothing is lost while the registry is unknown or failed.
 */
export function mergeKeys(
  loaded: Record<DataGroup, string[]>,
  registered: Record<DataGroup, readonly string[]> | undefined,
): Record<DataGroup, string[]> {
  if (!registered) return loaded;
  const merge = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
  return {
    metrics: merge(loaded.metrics, registered.metrics),
    params: merge(loaded.params, registered.params),
    tags: merge(
      loaded.tags,
      registered.tags.filter((k) => !k.startsWith('mlflow.')),
    ),
  };
}

/** Chosen column ids as data columns, in the chosen order (the user may interleave groups); other ids are skipped. */
export function dataColumnsOf(ids: readonly string[]): { group: DataGroup; key: string; id: string }[] {
  const out: { group: DataGroup; key: string; id: string }[] = [];
  for (const id of ids) {
    const group = GROUPS.find((g) => id.startsWith(`${g}.`));
    if (group) out.push({ group, key: id.slice(group.length + 1), id });
  }
  return out;
}
