/**
 * Fitting axis names and tick labels between parallel axes without overlap. Widths are
 * estimated from the character count (the charts draw 11px text in SVG user units, so the
 * estimate holds at any zoom); names that do not fit are cut with "…" and the full name goes
 * in a tooltip. Pure.
 */

/** A generous average advance of 11px UI text, bold, in SVG units. */
export const CHAR_WIDTH = 7;
const GAP = 8;
/** Fewer characters than this per name makes two staggered rows worth it. */
const MIN_CHARS = 9;

export interface TitleLayout {
  /** 1, or 2 when names alternate between two rows to get twice the room. */
  rows: 1 | 2;
  maxChars: number;
}

/** How axis names fit when axes stand `spacing` apart (in SVG units). */
export function titleLayout(axisCount: number, spacing: number, charWidth = CHAR_WIDTH): TitleLayout {
  if (axisCount <= 1) return { rows: 1, maxChars: 40 };
  const one = Math.floor((spacing - GAP) / charWidth);
  if (one >= MIN_CHARS) return { rows: 1, maxChars: Math.min(one, 40) };
  return { rows: 2, maxChars: Math.max(3, Math.min(Math.floor((2 * spacing - GAP) / charWidth), 40)) };
}

/** Tick labels sit left of their axis: they may use the room back to the previous one. */
export function tickLabelChars(spacing: number, charWidth = CHAR_WIDTH): number {
  return Math.max(3, Math.min(10, Math.floor((spacing - 2 * GAP) / charWidth)));
}

/** The text cut to `max` characters with a trailing ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}
