/**
 * Linear or log scale per axis for the many-run charts. A numeric field whose values are all
 * positive and span two decades or more (a learning rate from 1e-5 to 1e-1) reads best on a log
 * axis, so it gets one unless the user chose otherwise; the choice is kept per field. Pure.
 */
import { type Axis, buildAxis, type FieldValue, toNumber } from './chart-axes.ts';

/** The user's choice per field; a field left out takes the automatic scale. */
export type ScaleOverrides = Readonly<Record<string, 'log' | 'linear'>>;

/** At least this max/min ratio makes a positive field log-scaled by default. */
export const LOG_RATIO = 100;

/** True when every present value is a positive number and max/min ≥ `LOG_RATIO`. */
export function spansDecades(values: readonly FieldValue[]): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let seen = 0;
  for (const v of values) {
    if (v === undefined || v === '') continue;
    const n = toNumber(v);
    if (n === null || n <= 0) return false;
    seen++;
    if (n < min) min = n;
    if (n > max) max = n;
  }
  return seen > 0 && max / min >= LOG_RATIO;
}

/** An axis with the user's scale for the field, or else log when the values span decades. */
export function scaledAxis(field: string, values: readonly FieldValue[], overrides: ScaleOverrides = {}): Axis {
  const choice = overrides[field];
  const log = choice === 'log' || (choice === undefined && spansDecades(values));
  return buildAxis(field, values, { log });
}

/** Whether a log scale can be offered for the axis (numeric, every value positive). */
export function canLog(axis: Axis): boolean {
  return axis.kind === 'numeric' && axis.min > 0;
}

/** Overrides with one field set to `scale`; a choice equal to the automatic one is dropped, so URLs stay short. */
export function withScale(
  overrides: ScaleOverrides,
  field: string,
  scale: 'log' | 'linear',
  automatic: 'log' | 'linear',
): ScaleOverrides {
  const next = { ...overrides };
  if (scale === automatic) delete next[field];
  else next[field] = scale;
  return next;
}

/** URL form: one `log~<field>` or `linear~<field>` per override. */
export function formatScales(overrides: ScaleOverrides): string[] {
  return Object.entries(overrides).map(([f, s]) => `${s}~${f}`);
}

export function parseScales(items: readonly string[] | null | undefined): ScaleOverrides {
  const out: Record<string, 'log' | 'linear'> = {};
  for (const item of items ?? []) {
    const m = /^(log|linear)~(.+)$/.exec(item);
    if (m) out[m[2]] = m[1] as 'log' | 'linear';
  }
  return out;
}
