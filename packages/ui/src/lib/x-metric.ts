/**
 * Another metric as a line chart's x axis (MLflow's "metric" x axis): each point of the charted
 * metric is drawn at the x metric's value logged at the same step of the same run, or else at the
 * nearest earlier step. Pure.
 */
import type { Series, XMode } from './series.ts';

const PREFIX = 'metric:';

/** The x mode that puts metric `key` on the x axis. */
export function metricXMode(key: string): XMode {
  return `${PREFIX}${key}`;
}

/** The metric on the x axis, or null for step and time axes. */
export function xMetricKey(mode: XMode): string | null {
  return mode.startsWith(PREFIX) ? mode.slice(PREFIX.length) : null;
}

/** An x mode from untrusted input (a URL, a saved layout): anything unknown or malformed is `step`. */
export function parseXMode(raw: unknown): XMode {
  if (raw === 'relative' || raw === 'wall') return raw;
  if (typeof raw === 'string' && raw.startsWith(PREFIX) && raw.length > PREFIX.length) return raw as XMode;
  return 'step';
}

/** The x axis's caption. */
export function xModeLabel(mode: XMode): string {
  return xMetricKey(mode) ?? (mode === 'step' ? 'step' : mode === 'relative' ? 'seconds since start' : 'time');
}

export interface PairedPoints {
  /** Ascending (ties in step order). */
  xs: number[];
  ys: number[];
  steps: number[];
  /** Points of `y` left out: no finite x value at or before their step, or a step past the x metric's last. */
  unpaired: number;
}

/**
 * Pairs each point of `y` with `x`'s value at the same step, or else at the nearest earlier step
 * (the two may be downsampled to different steps). Nothing is paired before `x`'s first step or
 * after its last: that would invent x values the run never logged. Both series are in step order,
 * steps unique (`seriesFromColumns`).
 *
 * The pairs come sorted by x because uPlot's aligned data has one shared x array that must ascend
 * (it binary-searches it under the cursor and draws each line in array order); an x metric that
 * goes up and down is therefore drawn as a function of x, not as a path through time.
 */
export function pairByStep(y: Series, x: Series): PairedPoints {
  const pairs: { x: number; y: number; step: number }[] = [];
  const lastStep = x.steps.length > 0 ? x.steps[x.steps.length - 1] : Number.NEGATIVE_INFINITY;
  let j = -1;
  for (let i = 0; i < y.steps.length; i++) {
    const step = y.steps[i];
    while (j + 1 < x.steps.length && x.steps[j + 1] <= step) j++;
    if (j < 0 || step > lastStep || !Number.isFinite(x.values[j])) continue;
    pairs.push({ x: x.values[j], y: y.values[i], step });
  }
  // Array.prototype.sort is stable: equal x values keep their step order.
  pairs.sort((a, b) => a.x - b.x);
  return {
    xs: pairs.map((p) => p.x),
    ys: pairs.map((p) => p.y),
    steps: pairs.map((p) => p.step),
    unpaired: y.steps.length - pairs.length,
  };
}
