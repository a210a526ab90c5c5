import { useId } from 'react';
import { MetricChart } from '../../app/lazy-modules.ts';
import type { SetUrlState } from '../../app/router.tsx';
import type { RunColors } from '../../lib/run-colors.ts';
import type { StateOf } from '../../lib/url-state.ts';
import { comparedChartPoints, type compareSpec } from './compare-state.ts';

type State = StateOf<typeof compareSpec>;

/** The compare page's line charts: one per chosen metric (chips to remove, a picker to add), sharing the axis options. */
export function CompareMetricCharts({
  metricKeys,
  metrics,
  runIds,
  labels,
  colors,
  state,
  setState,
}: {
  metricKeys: string[];
  /** The charted metrics, in order. */
  metrics: string[];
  runIds: string[];
  labels: Record<string, string>;
  colors: RunColors;
  state: State;
  setState: SetUrlState<typeof compareSpec>;
}) {
  const addId = useId();
  const replace = { replace: true };
  const unchosen = metricKeys.filter((k) => !metrics.includes(k));
  return (
    <>
      <div className="toolbar">
        <ul className="metric-chips" aria-label="Charted metrics">
          {metrics.map((m) => (
            <li key={m} className="metric-chip">
              <span className="mono">{m}</span>
              <button
                type="button"
                className="metric-chip-remove"
                aria-label={`Remove metric ${m}`}
                title={`Stop charting ${m}`}
                disabled={metrics.length === 1}
                onClick={() => setState({ metric: metrics.filter((k) => k !== m) }, replace)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {unchosen.length > 0 ? (
          <div className="field">
            <label htmlFor={addId}>Add metric</label>
            <select
              id={addId}
              value=""
              onChange={(e) => e.target.value && setState({ metric: [...metrics, e.target.value] }, replace)}
            >
              <option value="">Choose…</option>
              {unchosen.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <div className="chart-grid-panel">
        {metrics.map((m) => (
          <MetricChart
            key={m}
            metricKey={m}
            runIds={runIds}
            runLabels={labels}
            runColors={colors}
            range={null}
            smoothing={state.smooth}
            xMode="step"
            logY={state.logy}
            logX={state.logx}
            clip={state.clip}
            onOptions={(p) =>
              setState({ logy: p.logY ?? state.logy, logx: p.logX ?? state.logx, clip: p.clip ?? state.clip }, replace)
            }
            maxPoints={comparedChartPoints(runIds.length)}
          />
        ))}
      </div>
    </>
  );
}
