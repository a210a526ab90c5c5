import { useCallback, useMemo } from 'react';
import type { Run } from '../../api/types.ts';
import type { SortKey } from '../../lib/url-state.ts';
import { chooseDefaultColumns, expandColumns } from './column-choice.ts';
import { encodeWidths, moveColumnTo, parseWidths, shownFixed } from './column-layout.ts';
import type { DataGroup } from './run-values.ts';

interface ColumnsUrl {
  col: string[] | null;
  fixed: string[] | null;
  width: string[] | null;
  sort: SortKey[];
  filter: string;
}

/**
 * The runs table's columns from the URL: data columns (the URL's, else defaults chosen from the
 * first page of runs, so they do not shift while later pages load), the run columns shown, and
 * widths; `onResize` and `onReorder` (a header dropped on another) write them back.
 */
export function useTableColumns(
  state: ColumnsUrl,
  setState: (
    patch: { width?: string[] | null; fixed?: string[] | null; col?: string[] | null },
    options?: { replace?: boolean },
  ) => void,
  firstPage: readonly Run[],
  keys: Record<DataGroup, string[]>,
) {
  const { col, fixed: fixedUrl, width, sort, filter } = state;
  const defaults = useMemo(() => chooseDefaultColumns(firstPage, { sort, filter }), [firstPage, sort, filter]);
  const columns = useMemo(() => expandColumns(col, keys, defaults), [col, keys, defaults]);
  const fixed = useMemo(() => shownFixed(fixedUrl), [fixedUrl]);
  const widths = useMemo(() => parseWidths(width), [width]);
  const onResize = useCallback(
    (id: string, px: number) => setState({ width: encodeWidths({ ...widths, [id]: px }) }, { replace: true }),
    [widths, setState],
  );
  // Run columns move among themselves, data columns among themselves (a drop across does nothing).
  const onReorder = useCallback(
    (id: string, target: string) => {
      if (fixed.includes(id) && fixed.includes(target)) setState({ fixed: moveColumnTo(fixed, id, target) });
      else if (columns.includes(id) && columns.includes(target)) setState({ col: moveColumnTo(columns, id, target) });
    },
    [fixed, columns, setState],
  );
  return { columns, fixed, widths, onResize, onReorder };
}
