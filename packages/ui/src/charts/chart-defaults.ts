/** Sensible first choices of fields for the many-run charts, so a chart shows something before the user picks. */
import { distinctCount, isNumericField, isSeedLike, isSystemField } from '../lib/axis-choice.ts';
import type { ChartFields, ChartRun } from './chart-runs.ts';
import { varyingFields } from './chart-runs.ts';

/** The metric most runs have (ties: alphabetical), hardware (`system/…`) metrics only when there is nothing else. */
export function commonestMetric(runs: readonly ChartRun[], fields: ChartFields): string {
  let best = '';
  let bestCount = -1;
  const candidates = fields.metrics.filter((f) => !isSystemField(f));
  for (const f of candidates.length > 0 ? candidates : fields.metrics) {
    const n = runs.reduce((c, r) => c + (r.values.has(f) ? 1 : 0), 0);
    if (n > bestCount) [best, bestCount] = [f, n];
  }
  return best;
}

export interface DefaultFields {
  metric: string;
  /** Params that differ between the runs, else every param. */
  params: string[];
  /** Numeric, not seed-like params that vary, most distinct values first (contour axes). */
  numericParams: string[];
  /** Varying params and a few metrics, seed-like params and `system/` metrics left out. */
  parallel: string[];
  /** A param with few distinct values, to group box plots by. */
  group: string;
}

export function defaultFields(runs: readonly ChartRun[], fields: ChartFields): DefaultFields {
  const valuesOf = (f: string) => runs.map((r) => r.values.get(f));
  const metric = commonestMetric(runs, fields);
  const varying = varyingFields(runs, fields.params);
  const params = varying.length > 0 ? varying : fields.params;
  const meaningful = params.filter((f) => !isSeedLike(f, valuesOf(f)));
  const parallel = [
    ...meaningful.slice(0, 6),
    ...(metric ? [metric] : []),
    ...fields.metrics.filter((m) => m !== metric && !isSystemField(m)).slice(0, 2),
  ];
  const distinct = (f: string) => distinctCount(valuesOf(f));
  const numericParams = varying
    .filter((f) => !isSeedLike(f, valuesOf(f)) && isNumericField(valuesOf(f)))
    .sort((a, b) => distinct(b) - distinct(a));
  const grouping = params.filter((f) => distinct(f) >= 2).sort((a, b) => distinct(a) - distinct(b));
  return { metric, params, numericParams, parallel, group: grouping[0] ?? params[0] ?? '' };
}
