import type { Column } from '@tanstack/react-table';
import { type RefObject, useMemo } from 'react';
import { useHorizontalWindow } from '../../components/use-horizontal-window.ts';

/** One rendered column position: a real column, or a spacer standing in for the columns scrolled out of view. */
export type ColumnSlot<T> =
  | { kind: 'column'; id: string; column: Column<T, unknown> }
  | { kind: 'pad'; id: string; width: number };

/**
 * Column virtualization for the runs table: the leading `fixedCount` columns always render; of the
 * rest (params, metrics, tags: possibly thousands) only those in or near the horizontal viewport
 * do, with one spacer each side holding the width of the others. Row virtualization is separate:
 * each rendered row renders only these slots.
 */
export function useColumnWindow<T>(
  scrollRef: RefObject<HTMLElement | null>,
  columns: Column<T, unknown>[],
  fixedCount: number,
): { slots: ColumnSlot<T>[]; width: number } {
  const fixed = columns.slice(0, fixedCount);
  const data = columns.slice(fixedCount);
  const fixedWidth = fixed.reduce((w, c) => w + c.getSize(), 0);
  const { first, last, padLeft, padRight, total } = useHorizontalWindow(scrollRef, {
    count: data.length,
    widthOf: (i) => data[i]?.getSize() ?? 130,
    keyOf: (i) => data[i]?.id ?? String(i),
    leading: fixedWidth,
  });
  // The same slots array while the window stays put (every vertical scroll frame), so rows
  // memoized on it skip rendering.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `fixed`/`data` are described by columns and fixedCount
  const slots = useMemo(() => {
    const out: ColumnSlot<T>[] = fixed.map((column) => ({ kind: 'column', id: column.id, column }));
    if (padLeft > 0) out.push({ kind: 'pad', id: 'pad:left', width: padLeft });
    for (let i = first; i >= 0 && i <= last; i++) {
      const column = data[i];
      if (column) out.push({ kind: 'column', id: column.id, column });
    }
    if (padRight > 0) out.push({ kind: 'pad', id: 'pad:right', width: padRight });
    return out;
  }, [columns, fixedCount, first, last, padLeft, padRight]);
  return { slots, width: fixedWidth + total };
}
