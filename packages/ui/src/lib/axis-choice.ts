/**
 * Which fields make useful default axes for the many-run charts. A random seed (unique per run,
 * meaningless in order) and hardware metrics (`system/…`) only add noise to a parallel
 * coordinates plot, so they are left out until the user picks them. Pure.
 */
import { type FieldValue, toNumber } from './chart-axes.ts';

const SEED_NAME = /(^|[._/-])(seed|random_?seed|random_?state|rng(_?seed)?)$/i;

/** Below this many runs, "unique per run" says little: three runs with three batch sizes are not seeds. */
const MIN_RUNS_FOR_UNIQUE = 10;

/** `params.seed`, `params.random_state`, `params.train/seed` … by name alone. */
export function hasSeedName(field: string): boolean {
  const dot = field.indexOf('.');
  return SEED_NAME.test(dot < 0 ? field : field.slice(dot + 1));
}

/**
 * A seed-like field: named like one, or integer values that differ in every run (with enough
 * runs to tell). Metrics are never seed-like by value: a unique loss per run is the point.
 */
export function isSeedLike(field: string, values: readonly FieldValue[]): boolean {
  if (hasSeedName(field)) return true;
  if (field.startsWith('metrics.')) return false;
  const present = values.filter((v) => v !== undefined && v !== '');
  if (present.length < MIN_RUNS_FOR_UNIQUE) return false;
  const seen = new Set<number>();
  for (const v of present) {
    const n = toNumber(v);
    if (n === null || !Number.isInteger(n) || seen.has(n)) return false;
    seen.add(n);
  }
  return true;
}

/** Hardware metrics as MLflow's system-metrics logger names them. */
export function isSystemField(field: string): boolean {
  return field.startsWith('metrics.system/');
}

/** Whether every present value is a number (and at least one is present). */
export function isNumericField(values: readonly FieldValue[]): boolean {
  let seen = false;
  for (const v of values) {
    if (v === undefined || v === '') continue;
    if (toNumber(v) === null) return false;
    seen = true;
  }
  return seen;
}

/** How many different present values a field has. */
export function distinctCount(values: readonly FieldValue[]): number {
  return new Set(values.filter((v) => v !== undefined && v !== '').map(String)).size;
}
