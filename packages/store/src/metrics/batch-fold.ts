import { isLater, type MetricPoint } from './metric-point.ts';

type Folded = Pick<MetricPoint, 'value' | 'isNan' | 'step' | 'timestamp'>;

/** What a batch's new points add to their series: how many, the least and greatest real value, the latest point. */
export interface BatchFold {
  count: number;
  /** Of the points that are not NaN; null when all are. */
  min: number | null;
  max: number | null;
  latest: Folded;
}

/**
 * Folds non-empty `points` by MLflow's "latest" order (step, timestamp, value; of equals, the one
 * that is not NaN, as PostgreSQL's `ORDER BY … value DESC, is_nan` picks it for row series), so the
 * result does not depend on the points' order. Both writers fold a batch with it.
 */
export function foldBatch(points: readonly Folded[]): BatchFold {
  let min: number | null = null;
  let max: number | null = null;
  let latest = points[0];
  for (const p of points) {
    if (!p.isNan) {
      if (min === null || p.value < min) min = p.value;
      if (max === null || p.value > max) max = p.value;
    }
    if (
      isLater(p, latest) ||
      (p.isNan < latest.isNan && p.step === latest.step && p.timestamp === latest.timestamp && p.value === latest.value)
    )
      latest = p;
  }
  return { count: points.length, min, max, latest };
}
