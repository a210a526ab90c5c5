/** The runs table's chosen columns as the URL holds them (`col=`). Pure. */
import { type DataGroup, defaultColumns, GROUPS } from './run-values.ts';

/** `col=*`: every key the loaded runs have. Thousands of `col=` entries would outgrow a URL. */
export const ALL_COLUMNS = '*';

/** The column ids to show: the URL's list, every key for `*`, or the defaults when the URL has none. */
export function expandColumns(col: readonly string[] | null | undefined, keys: Record<DataGroup, string[]>): string[] {
  if (!col) return defaultColumns(keys);
  if (col.includes(ALL_COLUMNS)) return GROUPS.flatMap((g) => keys[g].map((k) => `${g}.${k}`));
  return [...col];
}
