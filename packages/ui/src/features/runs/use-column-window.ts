import type { Column } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type RefObject, useMemo } from 'react';

/** One rendered column position: a real column, or a spacer standing in for the columns scrolled out of view. */
export type ColumnSlot<T> = { kind: 'column'; id: string; column: Column<T, unknown> } | { kind: 'pad'; id: string; width: number };

/**
 * Column virtualization for the runs table: the leading `fixedCount` columns always render; of the
 * rest (params, metrics, tags: possibly thousands) only those in or near the horizontal viewport
 * do, with one spacer each side holding the width of the others. Row virtualization is separate:
 * each rendered row renders only these slots.
 */
export function useColumnWindow<T>(scrollRef: RefObject<HTMLElement | null>, columns: Column<T, unknown>[], fixedCount: number): { slots: ColumnSlot<T>[]; width: number } {
  const fixed = columns.slice(0, fixedCount);
  const data = columns.slice(fixedCount);
  const fixedWidth = fixed.reduce((w, c) => w + c.getSize(), 0);
  const virtualizer = useVirtualizer({
    horizontal: true,
    count: data.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => data[i]?.getSize() ?? 130,
    getItemKey: (i) => data[i]?.id ?? i,
    // Positions count from the table's left edge; the fixed columns come first.
    scrollMargin: fixedWidth,
    overscan: 3,
    // Before the first measurement, assume a desktop-wide viewport rather than none.
    initialRect: { width: 1400, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  const first = items.length > 0 ? items[0].index : -1;
  const last = items.length > 0 ? items[items.length - 1].index : -1;
  // The same slots array while the window stays put (every vertical scroll frame), so rows
  // memoized on it skip rendering.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `items` is described by first/last; `fixed`/`data` by columns and fixedCount
  const slots = useMemo(() => {
    const out: ColumnSlot<T>[] = fixed.map((column) => ({ kind: 'column', id: column.id, column }));
    if (items.length > 0) {
      const padLeft = items[0].start - fixedWidth;
      const padRight = total - (items[items.length - 1].end - fixedWidth);
      if (padLeft > 0) out.push({ kind: 'pad', id: 'pad:left', width: padLeft });
      for (const item of items) {
        const column = data[item.index];
        if (column) out.push({ kind: 'column', id: column.id, column });
      }
      if (padRight > 0) out.push({ kind: 'pad', id: 'pad:right', width: padRight });
    } else if (total > 0) {
      out.push({ kind: 'pad', id: 'pad:right', width: total });
    }
    return out;
  }, [columns, fixedCount, first, last, total, fixedWidth]);
  return { slots, width: fixedWidth + total };
}
