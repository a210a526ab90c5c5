/** What a parallel coordinates plot (and the charts brushed with it) computes from its runs: scaled axes and positions. */
import { type ScaleOverrides, scaledAxis } from '../lib/axis-scale.ts';
import { type Axis, axisPosition } from '../lib/chart-axes.ts';
import type { ChartRun } from './chart-runs.ts';

/** One axis per field, log where the user chose it or the values span decades. */
export function parallelAxes(runs: readonly ChartRun[], fields: readonly string[], scales: ScaleOverrides): Axis[] {
  return fields.map((f) =>
    scaledAxis(
      f,
      runs.map((r) => r.values.get(f)),
      scales,
    ),
  );
}

/** `positions[run][axis]`: where each run crosses each axis (null: no value there). */
export function runPositions(runs: readonly ChartRun[], axes: readonly Axis[]): (number | null)[][] {
  return runs.map((r) => axes.map((a) => axisPosition(a, r.values.get(a.field))));
}
