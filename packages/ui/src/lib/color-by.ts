/**
 * Which field colours the lines of a parallel coordinates plot. The choice is a field id, or
 * `RUN_COLORS` for each run's own colour; no choice means the first metric axis, since "which
 * params give a good loss" is what the plot is for. Pure.
 */

export const RUN_COLORS = 'run';

/** The field to colour by, or null for run colours. A stale choice (field no longer offered) falls back to the default. */
export function resolveColorBy(
  choice: string | undefined,
  axes: readonly string[],
  offered: readonly string[],
): string | null {
  if (choice === RUN_COLORS) return null;
  if (choice && offered.includes(choice)) return choice;
  return axes.find((f) => f.startsWith('metrics.') && offered.includes(f)) ?? null;
}
