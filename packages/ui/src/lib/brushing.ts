/**
 * Brushing on parallel coordinates: each brushed axis keeps a range of positions (0..1, see
 * chart-axes.ts), and a run stays highlighted when it falls inside every brushed range. Pure.
 */

/** Brushed range per field, in axis positions; absent fields are not brushed. */
export type Brushes = Record<string, [number, number]>;

/** A brush from a drag between two positions: ordered and clamped to the axis. */
export function brushRange(a: number, b: number): [number, number] {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return [clamp(Math.min(a, b)), clamp(Math.max(a, b))];
}

/**
 * Which rows are highlighted. `positions[row][axis]` is the row's position on `fields[axis]`
 * (null when it has no value there: a brushed axis then excludes it). No brushes: every row.
 */
export function brushedRows(
  positions: readonly (readonly (number | null)[])[],
  fields: readonly string[],
  brushes: Brushes,
): boolean[] {
  const active = fields
    .map((f, i) => [i, brushes[f]] as const)
    .filter((e): e is readonly [number, [number, number]] => e[1] !== undefined);
  return positions.map((row) => active.every(([i, [lo, hi]]) => row[i] !== null && row[i]! >= lo && row[i]! <= hi));
}

/** Brushes with one axis set or cleared (`null`). */
export function withBrush(brushes: Brushes, field: string, range: [number, number] | null): Brushes {
  const next = { ...brushes };
  if (range) next[field] = range;
  else delete next[field];
  return next;
}

/** URL form: one `lo~hi~field` string per brush (fields may hold `:` and `,`, never start a number). */
export function formatBrushes(brushes: Brushes): string[] {
  return Object.entries(brushes).map(([f, [lo, hi]]) => `${round(lo)}~${round(hi)}~${f}`);
}

export function parseBrushes(items: readonly string[] | null): Brushes {
  const out: Brushes = {};
  for (const item of items ?? []) {
    const m = /^([^~]+)~([^~]+)~(.+)$/.exec(item);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = Number(m[2]);
    if (Number.isFinite(lo) && Number.isFinite(hi)) out[m[3]] = brushRange(lo, hi);
  }
  return out;
}

const round = (v: number) => Number(v.toFixed(4));

const KEY_STEP = 0.05;

/**
 * Brushing without a mouse: Up/Down start a quarter-axis range at the top/bottom, then move it;
 * with Shift they move its upper edge; Escape/Delete clear. `undefined` = not a brushing key.
 */
export function keyboardBrush(
  current: [number, number] | undefined,
  key: string,
  shift: boolean,
): [number, number] | null | undefined {
  if (key === 'Escape' || key === 'Delete' || key === 'Backspace') return current ? null : undefined;
  const dir = key === 'ArrowUp' ? 1 : key === 'ArrowDown' ? -1 : 0;
  if (dir === 0) return undefined;
  if (!current) return dir > 0 ? [0.75, 1] : [0, 0.25];
  const [lo, hi] = current;
  if (shift) return brushRange(lo, Math.max(lo + KEY_STEP, Math.min(1, hi + dir * KEY_STEP)));
  const by = Math.max(-lo, Math.min(1 - hi, dir * KEY_STEP));
  return [lo + by, hi + by];
}
