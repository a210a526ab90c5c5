import { useEffect, useState } from 'react';
import type { Run } from '../../api/types.ts';
import { ExperimentCharts } from '../../app/lazy-modules.ts';
import type { ChartLayout } from '../../charts/chart-layout.ts';

/**
 * The experiment page's collapsible charts panel, open from the start when the layout has charts
 * (a derived layout always has, when the experiment logs metrics). The chart code is a lazy chunk
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
  const [open, setOpen] = useState(hasCharts);
  // Applying a saved view (or following a link) that brings charts opens the panel.
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
