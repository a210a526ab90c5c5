/** Runs as the many-run charts read them: a name, a colour and one value per field id (`metrics.loss`, `params.lr`, `tags.team`). */
import type { Run } from '../api/types.ts';
import type { FieldValue } from '../lib/chart-axes.ts';
import { colorForId } from './palette.ts';

export interface ChartRun {
  id: string;
  label: string;
  color: string;
  values: ReadonlyMap<string, FieldValue>;
}

const cache = new WeakMap<Run, Map<string, FieldValue>>();

function valuesOf(run: Run): Map<string, FieldValue> {
  let values = cache.get(run);
  if (!values) {
    values = new Map();
    // A NaN metric counts as missing: kept, it would turn the metric's axis categorical.
    for (const m of run.data.metrics ?? []) {
      const v = typeof m.value === 'number' ? m.value : Number(m.value);
      if (!Number.isNaN(v)) values.set(`metrics.${m.key}`, v);
    }
    for (const p of run.data.params ?? []) values.set(`params.${p.key}`, p.value);
    for (const t of run.data.tags ?? []) values.set(`tags.${t.key}`, t.value);
    cache.set(run, values);
  }
  return values;
}

/** Runs in display order, in their chosen colour (`colors`, by run id) or else their id's colour. */
export function toChartRuns(runs: readonly Run[], colors: Readonly<Record<string, string>> = {}): ChartRun[] {
  return runs.map((run) => ({
    id: run.info.run_id,
    label:
      run.info.run_name || run.data.tags?.find((t) => t.key === 'mlflow.runName')?.value || run.info.run_id.slice(0, 8),
    color: colors[run.info.run_id] ?? colorForId(run.info.run_id),
    values: valuesOf(run),
  }));
}

export interface ChartFields {
  metrics: string[];
  params: string[];
  tags: string[];
}

/** Every field any of the runs has, per group, sorted; `mlflow.*` tags left out. */
export function chartFields(runs: readonly ChartRun[]): ChartFields {
  const sets = { metrics: new Set<string>(), params: new Set<string>(), tags: new Set<string>() };
  for (const r of runs) {
    for (const f of r.values.keys()) {
      if (f.startsWith('metrics.')) sets.metrics.add(f);
      else if (f.startsWith('params.')) sets.params.add(f);
      else if (!f.startsWith('tags.mlflow.')) sets.tags.add(f);
    }
  }
  return { metrics: [...sets.metrics].sort(), params: [...sets.params].sort(), tags: [...sets.tags].sort() };
}

/** Params whose value is not the same in every run (the interesting axes), in sorted order. */
export function varyingFields(runs: readonly ChartRun[], fields: readonly string[]): string[] {
  return fields.filter((f) => {
    const first = runs[0]?.values.get(f);
    return runs.some((r) => r.values.get(f) !== first);
  });
}
