import { lazy, Suspense, useState } from 'react';
import type { Run } from '../../api/types.ts';
import type { ChartLayout } from '../../charts/chart-layout.ts';
import { Loading } from '../../components/status.tsx';

// Chart code loads only once the panel is opened.
const ExperimentCharts = lazy(() => import('./ExperimentCharts.tsx'));

/** The experiment page's collapsible charts panel; open from the start when the layout has charts. */
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
  const [open, setOpen] = useState(layout.charts.length > 0);
  return (
    <details className="charts-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Charts ({layout.charts.length})</summary>
      {open ? (
        <Suspense fallback={<Loading label="Loading charts…" />}>
          <ExperimentCharts runs={runs} colors={colors} layout={layout} onChange={onChange} />
        </Suspense>
      ) : null}
    </details>
  );
}
