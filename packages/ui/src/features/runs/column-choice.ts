/** The runs table's chosen columns as the URL holds them (`col=`). Pure. */
import { type DataGroup, defaultColumns, GROUPS } from './run-values.ts';

/** `col=*`: every key of the experiment. Thousands of `col=` entries would outgrow a URL. */
export const ALL_COLUMNS = '*';

/**
 * The column ids to show: the URL's list, every key of `keys` for `*`, or, when the URL has none,
 * the defaults picked from `defaultsFrom` (the loaded runs' keys, so they show values).
 */
export function expandColumns(
  col: readonly string[] | null | undefined,
  keys: Record<DataGroup, string[]>,
  defaultsFrom = keys,
): string[] {
  if (!col) return defaultColumns(defaultsFrom);
  if (col.includes(ALL_COLUMNS)) return GROUPS.flatMap((g) => keys[g].map((k) => `${g}.${k}`));
  return [...col];
}
