/** Which of the runs' fields are numeric: the charts that need numbers (contour, line colours) offer only those. */
import { isNumericField, isSystemField } from '../lib/axis-choice.ts';
import { type ChartFields, type ChartRun, chartFields } from './chart-runs.ts';

/** The fields whose every present value is a number, per group. */
export function numericFields(runs: readonly ChartRun[], fields: ChartFields): ChartFields {
  const numeric = (f: string) => isNumericField(runs.map((r) => r.values.get(f)));
  return {
    metrics: fields.metrics.filter(numeric),
    params: fields.params.filter(numeric),
    tags: fields.tags.filter(numeric),
  };
}

/** Fields lines can be coloured by: metrics (hardware ones last), then numeric params. */
export function colorFieldOptions(runs: readonly ChartRun[]): { metrics: string[]; params: string[] } {
  const numeric = numericFields(runs, chartFields(runs));
  const metrics = [...numeric.metrics.filter((f) => !isSystemField(f)), ...numeric.metrics.filter(isSystemField)];
  return { metrics, params: numeric.params };
}
