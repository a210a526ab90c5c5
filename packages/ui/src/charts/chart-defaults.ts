/** Sensible first choices of fields for the many-run charts, so a chart shows something before the user picks. */
import type { ChartFields, ChartRun } from './chart-runs.ts';
import { varyingFields } from './chart-runs.ts';

/** The metric most runs have (ties: alphabetical). */
export function commonestMetric(runs: readonly ChartRun[], fields: ChartFields): string {
  let best = '';
  let bestCount = -1;
  for (const f of fields.metrics) {
    const n = runs.reduce((c, r) => c + (r.values.has(f) ? 1 : 0), 0);
    if (n > bestCount) [best, bestCount] = [f, n];
  }
  return best;
}

export interface DefaultFields {
  metric: string;
  /** Params that differ between the runs, else every param. */
  params: string[];
  parallel: string[];
  /** A param with few distinct values, to group box plots by. */
  group: string;
}

export function defaultFields(runs: readonly ChartRun[], fields: ChartFields): DefaultFields {
  const metric = commonestMetric(runs, fields);
  const varying = varyingFields(runs, fields.params);
  const params = varying.length > 0 ? varying : fields.params;
  const parallel = [
    ...params.slice(0, 6),
    ...(metric ? [metric] : []),
    ...fields.metrics.filter((m) => m !== metric).slice(0, 2),
  ];
  const distinct = (f: string) => new Set(runs.map((r) => r.values.get(f)).filter((v) => v !== undefined)).size;
  const grouping = params.filter((f) => distinct(f) >= 2).sort((a, b) => distinct(a) - distinct(b));
  return { metric, params, parallel, group: grouping[0] ?? params[0] ?? '' };
}
