import type { Lineage } from '@trove/protocol';
import { useEffect, useState } from 'react';
import { type LineageLayout, layoutLineage, warmLayout } from './elk-layout.ts';

/** The graph's layout, computed (in ELK's worker) only when the data changes; `layoutMs` for the bench. */
export function useLineageLayout(data: Lineage.LineageResponse | undefined) {
  const [state, setState] = useState<{ layout?: LineageLayout; layoutMs?: number; error?: Error }>({});
  useEffect(warmLayout, []);
  useEffect(() => {
    if (!data) return;
    let live = true;
    const start = performance.now();
    layoutLineage(data).then(
      (layout) => {
        if (live) setState({ layout, layoutMs: performance.now() - start });
      },
      (error: Error) => {
        if (live) setState({ error });
      },
    );
    return () => {
      live = false;
    };
  }, [data]);
  return state;
}
