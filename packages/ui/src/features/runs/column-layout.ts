/**
 * The runs table's column layout beyond which data columns are chosen (`col=`): which of the run
 * columns show and in what order (`fixed=`), and every column's width (`width=id:px`). Pure.
 */

/** The run columns after the checkbox and the run name (both always first), in their default order. */
export const FIXED_COLUMNS = [
  'run-tools',
  'attributes.status',
  'attributes.start_time',
  'duration',
  'attributes.user_id',
  'tag-chips',
] as const;

export const FIXED_TITLES: Record<string, string> = {
  'run-tools': 'Pin, hide, colour',
  'attributes.status': 'Status',
  'attributes.start_time': 'Started',
  duration: 'Duration',
  'attributes.user_id': 'User',
  'tag-chips': 'All tags',
};

/**
 * Shown when the URL says nothing. "All tags" is left out: its chips repeat what tag columns
 * show, and at 1024 px the run columns would leave no room for a metric.
 */
export const DEFAULT_FIXED: readonly string[] = FIXED_COLUMNS.filter((c) => c !== 'tag-chips');

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;

/** The run columns to show, in order: the URL's list (unknown ids dropped), else the defaults. */
export function shownFixed(fixed: readonly string[] | null): string[] {
  if (fixed === null) return [...DEFAULT_FIXED];
  const known = new Set<string>(FIXED_COLUMNS);
  return [...new Set(fixed.filter((c) => known.has(c)))];
}

export const clampWidth = (px: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, px)));

/** `id:px` entries (ids may hold colons: the last one splits) → widths; malformed entries are ignored. */
export function parseWidths(entries: readonly string[] | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries ?? []) {
    const at = e.lastIndexOf(':');
    const px = Number(e.slice(at + 1));
    if (at > 0 && /^\d+$/.test(e.slice(at + 1)) && Number.isFinite(px)) out[e.slice(0, at)] = clampWidth(px);
  }
  return out;
}

export function encodeWidths(widths: Readonly<Record<string, number>>): string[] | null {
  const entries = Object.entries(widths).map(([id, px]) => `${id}:${clampWidth(px)}`);
  return entries.length > 0 ? entries : null;
}

/** `list` with `id` moved `by` places (clamped to the ends); the same list when `id` is not in it. */
export function moveColumn(list: readonly string[], id: string, by: number): string[] {
  const from = list.indexOf(id);
  if (from < 0) return [...list];
  const to = Math.max(0, Math.min(list.length - 1, from + by));
  const out = list.filter((c) => c !== id);
  out.splice(to, 0, id);
  return out;
}

/** `list` with `id` moved to where `target` is (a header dropped on another); unchanged unless both are in it. */
export function moveColumnTo(list: readonly string[], id: string, target: string): string[] {
  const from = list.indexOf(id);
  const to = list.indexOf(target);
  if (from < 0 || to < 0 || from === to) return [...list];
  return moveColumn(list, id, to - from);
}
