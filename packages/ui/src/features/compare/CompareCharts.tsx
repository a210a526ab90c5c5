import { useMemo } from 'react';
import type { Run } from '../../api/types.ts';
import type { SetUrlState } from '../../app/router.tsx';
import BoxPlot from '../../charts/BoxPlot.tsx';
import ContourChart from '../../charts/ContourChart.tsx';
import { defaultFields } from '../../charts/chart-defaults.ts';
import { fieldKey } from '../../charts/chart-layout.ts';
import { chartFields, toChartRuns } from '../../charts/chart-runs.ts';
import { FieldSelect } from '../../charts/FieldSelect.tsx';
import { numericFields } from '../../charts/field-kinds.ts';
import { NumericFieldSelect } from '../../charts/NumericFieldSelect.tsx';
import ParallelCoordinates from '../../charts/ParallelCoordinates.tsx';
import { parallelAxes, runPositions } from '../../charts/parallel-model.ts';
import ScatterChart from '../../charts/ScatterChart.tsx';
import { MenuDetails } from '../../components/MenuDetails.tsx';
import { Empty } from '../../components/status.tsx';
import { formatScales, parseScales } from '../../lib/axis-scale.ts';
import { brushedRows, formatBrushes, parseBrushes, withBrush } from '../../lib/brushing.ts';
import type { RunColors } from '../../lib/run-colors.ts';
import type { StateOf } from '../../lib/url-state.ts';
import type { compareSpec } from './compare-state.ts';

type State = StateOf<typeof compareSpec>;

/** The compare page's many-run charts: parallel coordinates (brushable), scatter, contour and box plot. */
export default function CompareCharts({
  runs,
  colors,
  state,
  setState,
  lower = true,
}: {
  runs: readonly Run[];
  /** Colours chosen on the runs table; other runs take their id's colour. */
  colors: RunColors;
  state: State;
  setState: SetUrlState<typeof compareSpec>;
  /** Whether to build the charts under the parallel coordinates yet (the page builds them a paint later). */
  lower?: boolean;
}) {
  const chartRuns = useMemo(() => toChartRuns(runs, colors), [runs, colors]);
  const fields = useMemo(() => chartFields(chartRuns), [chartRuns]);
  const d = useMemo(() => defaultFields(chartRuns, fields), [chartRuns, fields]);
  const axes = state.pc ?? d.parallel;
  const brushes = useMemo(() => parseBrushes(state.brush), [state.brush]);
  const scales = useMemo(() => parseScales(state.pcs), [state.pcs]);
  // The scatter dims what the parallel-coordinates brushes leave out, so both views agree.
  const highlighted = useMemo(
    () =>
      lower ? brushedRows(runPositions(chartRuns, parallelAxes(chartRuns, axes, scales)), axes, brushes) : undefined,
    [lower, chartRuns, axes, scales, brushes],
  );
  const numeric = useMemo(() => numericFields(chartRuns, fields), [chartRuns, fields]);
  const all = [...fields.metrics, ...fields.params, ...fields.tags];
  if (all.length < 2) return <Empty>These runs have too few params and metrics to chart.</Empty>;
  const replace = { replace: true };
  const sx = state.sx || d.params[0] || all[0];
  const sy = state.sy || d.metric || all[1];
  const cx = state.cx || d.numericParams[0] || numeric.params[0] || '';
  const cy = state.cy || d.numericParams[1] || numeric.params[1] || numeric.metrics.find((m) => m !== cx) || '';
  const cz = state.cz || d.metric || numeric.metrics[0] || '';
  const bg = state.bg || d.group || all[0];
  const bv = state.bv || d.metric || fields.metrics[0] || '';

  return (
    <>
      <section className="chart-card" aria-labelledby="pc-title" data-chart="parallel">
        <h3 id="pc-title">Parallel coordinates</h3>
        <div className="toolbar">
          <MenuDetails summary={`Axes (${axes.length})`}>
            <div className="columns-panel">
              <fieldset>
                <legend>Axes, left to right</legend>
                {all.map((f) => (
                  <label key={f} className="check">
                    <input
                      type="checkbox"
                      checked={axes.includes(f)}
                      onChange={(e) =>
                        setState({ pc: e.target.checked ? [...axes, f] : axes.filter((a) => a !== f) }, replace)
                      }
                    />
                    <span className="mono">
                      {f.startsWith('metrics.')
                        ? `${fieldKey(f)} (metric)`
                        : f.startsWith('params.')
                          ? fieldKey(f)
                          : `${fieldKey(f)} (tag)`}
                    </span>
                  </label>
                ))}
              </fieldset>
            </div>
          </MenuDetails>
          {Object.keys(brushes).length > 0 ? (
            <button type="button" onClick={() => setState({ brush: null }, replace)}>
              Clear brushes
            </button>
          ) : null}
        </div>
        {axes.length < 2 ? (
          <Empty>Choose two or more axes.</Empty>
        ) : (
          <ParallelCoordinates
            runs={chartRuns}
            axes={axes}
            brushes={brushes}
            scales={scales}
            onScales={(next) => setState({ pcs: formatScales(next) }, replace)}
            colorBy={state.pcc}
            onColorBy={(pcc) => setState({ pcc }, replace)}
            onBrush={(f, r) => setState({ brush: formatBrushes(withBrush(brushes, f, r)) }, replace)}
          />
        )}
      </section>
      {lower ? (
        <div className="chart-grid-panel">
          <section className="chart-card" aria-labelledby="scatter-title" data-chart="scatter">
            <h3 id="scatter-title">Scatter</h3>
            <div className="toolbar">
              <FieldSelect
                label="Scatter x"
                value={sx}
                fields={fields}
                onChange={(v) => setState({ sx: v }, replace)}
              />
              <FieldSelect
                label="Scatter y"
                value={sy}
                fields={fields}
                onChange={(v) => setState({ sy: v }, replace)}
              />
            </div>
            <ScatterChart runs={chartRuns} x={sx} y={sy} highlighted={highlighted} />
          </section>
          <section className="chart-card" aria-labelledby="contour-title" data-chart="contour">
            <h3 id="contour-title">Contour</h3>
            <div className="toolbar">
              <NumericFieldSelect
                label="Contour x"
                value={cx}
                fields={fields}
                numeric={numeric}
                onChange={(v) => setState({ cx: v }, replace)}
                groups={['params', 'metrics']}
              />
              <NumericFieldSelect
                label="Contour y"
                value={cy}
                fields={fields}
                numeric={numeric}
                onChange={(v) => setState({ cy: v }, replace)}
                groups={['params', 'metrics']}
              />
              <NumericFieldSelect
                label="Contour z (colour)"
                value={cz}
                fields={fields}
                numeric={numeric}
                onChange={(v) => setState({ cz: v }, replace)}
                groups={['metrics', 'params']}
              />
            </div>
            <ContourChart runs={chartRuns} x={cx} y={cy} z={cz} />
          </section>
          <section className="chart-card" aria-labelledby="box-title" data-chart="box">
            <h3 id="box-title">Box plot</h3>
            <div className="toolbar">
              <FieldSelect
                label="Group by"
                value={bg}
                fields={fields}
                onChange={(v) => setState({ bg: v }, replace)}
                groups={['params', 'tags']}
              />
              <FieldSelect
                label="Box value"
                value={bv}
                fields={fields}
                onChange={(v) => setState({ bv: v }, replace)}
                groups={['metrics', 'params']}
              />
            </div>
            <BoxPlot runs={chartRuns} group={bg} field={bv} />
          </section>
        </div>
      ) : null}
    </>
  );
}
