/**
 * Axes for charts over many runs (parallel coordinates, scatter, contour, box plots): a field's
 * values become a numeric axis when every present value is a number, a categorical one otherwise.
 * Positions are fractions of the axis (0 = start, 1 = end), so brushing and drawing share one unit. Pure.
 */

/** A run's value for a field: params and tags arrive as strings, metrics as numbers (or "NaN"). */
export type FieldValue = string | number | undefined;

export interface NumericAxis {
  kind: 'numeric';
  field: string;
  min: number;
  max: number;
  log: boolean;
}

export interface CategoricalAxis {
  kind: 'categorical';
  field: string;
  categories: string[];
}

export type Axis = NumericAxis | CategoricalAxis;

/** The number a value stands for, or null (missing, empty, non-numeric, NaN, ±Infinity). */
export function toNumber(v: FieldValue): number | null {
  if (v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

const natural = new Intl.Collator('en', { numeric: true });

/**
 * Numeric when every present value parses as a finite number (`"0.01"` counts); else categorical,
 * categories in natural order. `log` is honoured only when every value is positive.
 */
export function buildAxis(field: string, values: readonly FieldValue[], options: { log?: boolean } = {}): Axis {
  const present = values.filter((v): v is string | number => v !== undefined && v !== '');
  const numbers = present.map(toNumber);
  if (present.length > 0 && numbers.every((n) => n !== null)) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const n of numbers as number[]) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
    return { kind: 'numeric', field, min, max, log: !!options.log && min > 0 };
  }
  const categories = [...new Set(present.map(String))].sort(natural.compare);
  return { kind: 'categorical', field, categories };
}

/** Where `v` sits on the axis, 0..1; null when the run has no (usable) value. A single-valued axis puts it in the middle. */
export function axisPosition(axis: Axis, v: FieldValue): number | null {
  if (axis.kind === 'categorical') {
    if (v === undefined || v === '') return null;
    const i = axis.categories.indexOf(String(v));
    return i < 0 ? null : (i + 0.5) / axis.categories.length;
  }
  const n = toNumber(v);
  if (n === null) return null;
  if (axis.log) {
    if (n <= 0) return null;
    const lo = Math.log10(axis.min);
    const span = Math.log10(axis.max) - lo;
    return span === 0 ? 0.5 : (Math.log10(n) - lo) / span;
  }
  const span = axis.max - axis.min;
  return span === 0 ? 0.5 : (n - axis.min) / span;
}

/** The value at a position of a numeric axis (the inverse of `axisPosition`). */
export function axisValueAt(axis: NumericAxis, pos: number): number {
  if (axis.log) {
    const lo = Math.log10(axis.min);
    return 10 ** (lo + pos * (Math.log10(axis.max) - lo));
  }
  return axis.min + pos * (axis.max - axis.min);
}

/** Round tick values (1, 2, 5 × 10^k steps) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const err = raw / mag;
  // The 1-2-5 step nearest the raw one (d3's rule), so ticks number about `count`, never just two.
  const step = mag * (err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.SQRT2 ? 2 : 1);
  const out: number[] = [];
  // Rounded to the step's precision so 0.1 + 0.2 does not print as 0.30000000000000004.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Number(t.toFixed(digits)));
  return out;
}

export interface Tick {
  pos: number;
  label: string;
}

/** Labelled ticks at axis positions: every category (thinned to `count` when there are many) or round numbers. */
export function axisTicks(axis: Axis, count = 5): Tick[] {
  if (axis.kind === 'categorical') {
    const every = Math.max(1, Math.ceil(axis.categories.length / Math.max(count * 2, 1)));
    return axis.categories
      .filter((_, i) => i % every === 0)
      .map((c) => ({ pos: axisPosition(axis, c) as number, label: c }));
  }
  if (axis.log) {
    const out: Tick[] = [];
    const lo = Math.floor(Math.log10(axis.min));
    const hi = Math.ceil(Math.log10(axis.max));
    // Every decade up to `count * 2` of them; beyond, every k-th so labels keep their room.
    const every = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(count * 2, 1)));
    for (let e = lo; e <= hi; e += every) {
      const v = Number(`1e${e}`); // not 10 ** e: 10 ** -5 is 9.999999999999999e-6, below an axis starting at 1e-5
      if (v >= axis.min && v <= axis.max) out.push({ pos: axisPosition(axis, v) as number, label: formatTick(v) });
    }
    return out.length > 0
      ? out
      : [axis.min, axis.max].map((v) => ({ pos: axisPosition(axis, v) as number, label: formatTick(v) }));
  }
  return niceTicks(axis.min, axis.max, count).map((v) => ({
    pos: axisPosition(axis, v) as number,
    label: formatTick(v),
  }));
}

/** Short tick text: plain up to 6 significant digits, exponent form for very small or large magnitudes. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}
