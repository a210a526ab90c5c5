import { useId, useMemo, useState } from 'react';
import type { Run } from '../../api/types.ts';
import type { SetUrlState } from '../../app/router.tsx';
import type { LineOptions } from '../../charts/ChartTools.tsx';
import { splitSystemMetrics } from '../../charts/chart-layout.ts';
import MetricChart, { type MetricChartProps } from '../../charts/MetricChart.tsx';
import { XAxisSelect } from '../../charts/XAxisSelect.tsx';
import { MenuDetails } from '../../components/MenuDetails.tsx';
import { Empty } from '../../components/status.tsx';
import type { StateOf } from '../../lib/url-state.ts';
import { runName } from '../runs/run-values.ts';
import type { runSpec } from './run-state.ts';

type State = StateOf<typeof runSpec>;
const DEFAULT_CHARTS = 6;

/** One chart per chosen metric, sharing the x mode, smoothing, log scale and zoomed step range. */
export default function ChartsTab({
  run,
  state,
  setState,
}: {
  run: Run;
  state: State;
  setState: SetUrlState<typeof runSpec>;
}) {
  const keys = useMemo(() => (run.data.metrics ?? []).map((m) => m.key).sort(), [run]);
  const { system, other } = useMemo(() => splitSystemMetrics(keys), [keys]);
  // Hardware metrics (`system/…`) get their own section, so they do not crowd out the model's.
  const chosen = state.m ?? other.slice(0, DEFAULT_CHARTS);
  const runIds = useMemo(() => [run.info.run_id], [run]);
  const labels = useMemo(() => ({ [run.info.run_id]: runName(run) }), [run]);
  const range: [number, number] | null = state.from !== null && state.to !== null ? [state.from, state.to] : null;
  const ids = { smooth: useId(), log: useId() };
  // Every chart of the tab shares one set of axis options, as it shares the x axis and smoothing.
  const lineOptions = {
    logY: state.log,
    logX: state.logx,
    clip: state.clip,
    onOptions: (p: Partial<LineOptions>) =>
      setState({ log: p.logY ?? state.log, logx: p.logX ?? state.logx, clip: p.clip ?? state.clip }),
  };
  if (keys.length === 0) return <Empty>No metrics logged.</Empty>;
  return (
    <div>
      <div className="toolbar">
        <MenuDetails summary={`Metrics (${chosen.length})`}>
          <div className="columns-panel">
            <fieldset>
              <legend>Charted metrics</legend>
              {keys.map((k) => (
                <label key={k} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(k)}
                    onChange={(e) =>
                      setState(
                        { m: e.target.checked ? [...chosen, k] : chosen.filter((c) => c !== k) },
                        { replace: true },
                      )
                    }
                  />
                  <span className="mono">{k}</span>
                </label>
              ))}
            </fieldset>
          </div>
        </MenuDetails>
        <XAxisSelect value={state.x} metricKeys={keys} onChange={(x) => setState({ x, from: null, to: null })} />
        <div className="field">
          <label htmlFor={ids.smooth}>Smoothing (EMA): {state.smooth.toFixed(2)}</label>
          <input
            id={ids.smooth}
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={state.smooth}
            onChange={(e) => setState({ smooth: Number(e.target.value) }, { replace: true })}
          />
        </div>
        <label className="check" htmlFor={ids.log}>
          <input
            id={ids.log}
            type="checkbox"
            checked={state.log}
            onChange={(e) => setState({ log: e.target.checked })}
          />
          Log scale
        </label>
        {range ? (
          <button type="button" onClick={() => setState({ from: null, to: null })}>
            Reset zoom (steps {range[0]}–{range[1]})
          </button>
        ) : null}
      </div>
      {chosen.length === 0 ? (
        <Empty>Choose metrics to chart.</Empty>
      ) : (
        <div className="charts">
          {chosen.map((key) => (
            <MetricChart
              key={key}
              metricKey={key}
              runIds={runIds}
              runLabels={labels}
              range={range}
              onZoom={(r) => setState({ from: r?.[0] ?? null, to: r?.[1] ?? null })}
              smoothing={state.smooth}
              xMode={state.x}
              {...lineOptions}
            />
          ))}
        </div>
      )}
      {system.length > 0 ? (
        <SystemCharts
          keys={system.filter((k) => !chosen.includes(k))}
          runIds={runIds}
          labels={labels}
          state={state}
          lineOptions={lineOptions}
        />
      ) : null}
    </div>
  );
}

/** The run's `system/` metrics (MLflow's system-metrics logger: CPU, GPU, memory, network), drawn once opened. */
function SystemCharts({
  keys,
  runIds,
  labels,
  state,
  lineOptions,
}: {
  keys: string[];
  runIds: string[];
  labels: Record<string, string>;
  state: State;
  lineOptions: Pick<MetricChartProps, 'logY' | 'logX' | 'clip' | 'onOptions'>;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details className="system-metrics" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>System metrics ({keys.length})</summary>
      {open ? (
        <div className="charts">
          {keys.map((key) => (
            <MetricChart
              key={key}
              metricKey={key}
              runIds={runIds}
              runLabels={labels}
              range={null}
              smoothing={state.smooth}
              xMode={state.x}
              {...lineOptions}
            />
          ))}
        </div>
      ) : null}
    </details>
  );
}
