import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

export interface HorizontalWindowOptions {
  /** How many items (columns) lie side by side after the leading, always-rendered ones. */
  count: number;
  widthOf: (index: number) => number;
  keyOf: (index: number) => string;
  /** Width of what always renders before the items (fixed columns). */
  leading: number;
}

/**
 * Which items render: `first`..`last` (both -1 when none), with a spacer of `padLeft` before
 * them and `padRight` after, standing in for the items scrolled out of view. Plain numbers, so
 * callers can memoize on them and keep the same rendered slots while the window stays put.
 */
export interface HorizontalWindow {
  first: number;
  last: number;
  padLeft: number;
  padRight: number;
  /** Width of all the items together (without `leading`). */
  total: number;
}

/**
 * Horizontal virtualization of a row of columns inside the scrolling element `scrollRef`: only
 * the items in or near its viewport render (the runs table's columns, the compare page's runs).
 */
export function useHorizontalWindow(
  scrollRef: RefObject<HTMLElement | null>,
  { count, widthOf, keyOf, leading }: HorizontalWindowOptions,
): HorizontalWindow {
  const virtualizer = useVirtualizer({
    horizontal: true,
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: widthOf,
    getItemKey: keyOf,
    // Positions count from the table's left edge; the leading columns come first.
    scrollMargin: leading,
    overscan: 1,
    // Before the first measurement, assume a desktop-wide viewport rather than none.
    initialRect: { width: 1400, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  if (items.length === 0) return { first: -1, last: -1, padLeft: 0, padRight: total, total };
  // The window's edges snap outwards to multiples of BLOCK items, so scrolling sideways changes
  // the rendered set every few hundred pixels instead of at every column edge: each change
  // re-lays out every rendered row, whatever the number of cells it adds.
  const first = Math.floor(items[0].index / BLOCK) * BLOCK;
  const last = Math.min(count - 1, (Math.floor(items[items.length - 1].index / BLOCK) + 1) * BLOCK - 1);
  const measured = virtualizer.measurementsCache;
  const head = measured[first];
  const tail = measured[last];
  if (!head || !tail)
    return {
      first: items[0].index,
      last: items[items.length - 1].index,
      padLeft: items[0].start - leading,
      padRight: total - (items[items.length - 1].end - leading),
      total,
    };
  return { first, last, padLeft: head.start - leading, padRight: total - (tail.end - leading), total };
}

const BLOCK = 6;
