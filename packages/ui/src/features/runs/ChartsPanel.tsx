import { useEffect, useState } from 'react';
import type { Run } from '../../api/types.ts';
import { ExperimentCharts } from '../../app/lazy-modules.ts';
import type { ChartLayout } from '../../charts/chart-layout.ts';

/**
 * The experiment page's collapsible charts panel, open from the start (the layout, derived or
 * chosen, says what it holds; an emptied one offers "Add chart"). The chart code is a lazy chunk
 * and draws after the runs arrive, so the table's first rows never wait for it.
 */
export function ChartsPanel({
  runs,
  colors,
  layout,
  onChange,
}: {
  runs: readonly Run[];
  colors: Readonly<Record<string, string>>;
  layout: ChartLayout;
  onChange: (layout: ChartLayout) => void;
}) {
  const hasCharts = layout.charts.length > 0;
  const [open, setOpen] = useState(true);
  // Applying a saved view (or following a link) that brings charts opens a panel the user closed.
  useEffect(() => {
    if (hasCharts) setOpen(true);
  }, [hasCharts]);
  return (
    <details className="charts-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Charts ({layout.charts.length})</summary>
      {/* Chart code loads only once the panel is opened. */}
      {open ? <ExperimentCharts runs={runs} colors={colors} layout={layout} onChange={onChange} /> : null}
    </details>
  );
}
