import { type ReactNode, useId, useMemo } from 'react';
import { MetricChart } from '../app/lazy-modules.ts';
import { chartPointsPerRun } from '../lib/chart-points.ts';
import BarChart from './BarChart.tsx';
import BoxPlot from './BoxPlot.tsx';
import ContourChart from './ContourChart.tsx';
import type { ChartSpec } from './chart-layout.ts';
import type { ChartFields, ChartRun } from './chart-runs.ts';
import { FieldSelect } from './FieldSelect.tsx';
import { numericFields } from './field-kinds.ts';
import { NumericFieldSelect } from './NumericFieldSelect.tsx';
import ParallelCoordinates from './ParallelCoordinates.tsx';
import ScatterChart from './ScatterChart.tsx';
import { XAxisSelect } from './XAxisSelect.tsx';

export interface ChartViewProps {
  spec: ChartSpec;
  runs: readonly ChartRun[];
  fields: ChartFields;
  onChange: (spec: ChartSpec) => void;
  /** More header controls for a line chart's card (the panel's remove button). */
  actions?: ReactNode;
}

/** One chart of a layout with its own field pickers; edits come back as a new spec. */
export function ChartView({ spec, runs, fields, onChange, actions }: ChartViewProps) {
  switch (spec.type) {
    case 'line':
      return <LineView spec={spec} runs={runs} fields={fields} onChange={onChange} actions={actions} />;
    case 'bar':
      return (
        <>
          <div className="toolbar">
            <FieldSelect
              label="Value"
              value={spec.field}
              fields={fields}
              groups={['metrics', 'params']}
              onChange={(field) => onChange({ ...spec, field })}
            />
          </div>
          <BarChart runs={runs} field={spec.field} />
        </>
      );
    case 'scatter':
      return (
        <>
          <div className="toolbar">
            <FieldSelect label="X" value={spec.x} fields={fields} onChange={(x) => onChange({ ...spec, x })} />
            <FieldSelect label="Y" value={spec.y} fields={fields} onChange={(y) => onChange({ ...spec, y })} />
          </div>
          <ScatterChart runs={runs} x={spec.x} y={spec.y} />
        </>
      );
    case 'contour':
      return <ContourView spec={spec} runs={runs} fields={fields} onChange={onChange} />;
    case 'box':
      return (
        <>
          <div className="toolbar">
            <FieldSelect
              label="Group by"
              value={spec.group}
              fields={fields}
              groups={['params', 'tags']}
              onChange={(group) => onChange({ ...spec, group })}
            />
            <FieldSelect
              label="Value"
              value={spec.field}
              fields={fields}
              groups={['metrics', 'params']}
              onChange={(field) => onChange({ ...spec, field })}
            />
          </div>
          <BoxPlot runs={runs} group={spec.group} field={spec.field} />
        </>
      );
    case 'parallel':
      return (
        <ParallelCoordinates
          runs={runs}
          axes={spec.axes}
          brushes={spec.brushes}
          scales={spec.scales}
          onScales={({ ...scales }) => {
            const { scales: _, ...rest } = spec;
            onChange(Object.keys(scales).length > 0 ? { ...rest, scales } : rest);
          }}
          colorBy={spec.color}
          onColorBy={(color) => onChange({ ...spec, color })}
          onBrush={(field, range) => {
            const brushes = { ...spec.brushes };
            if (range) brushes[field] = range;
            else delete brushes[field];
            onChange({ ...spec, brushes });
          }}
        />
      );
  }
}

function ContourView({
  spec,
  runs,
  fields,
  onChange,
}: ChartViewProps & { spec: Extract<ChartSpec, { type: 'contour' }> }) {
  const numeric = useMemo(() => numericFields(runs, fields), [runs, fields]);
  return (
    <>
      <div className="toolbar">
        <NumericFieldSelect
          label="X"
          value={spec.x}
          fields={fields}
          numeric={numeric}
          groups={['params', 'metrics']}
          onChange={(x) => onChange({ ...spec, x })}
        />
        <NumericFieldSelect
          label="Y"
          value={spec.y}
          fields={fields}
          numeric={numeric}
          groups={['params', 'metrics']}
          onChange={(y) => onChange({ ...spec, y })}
        />
        <NumericFieldSelect
          label="Colour"
          value={spec.z}
          fields={fields}
          numeric={numeric}
          groups={['metrics', 'params']}
          onChange={(z) => onChange({ ...spec, z })}
        />
      </div>
      <ContourChart runs={runs} x={spec.x} y={spec.y} z={spec.z} />
    </>
  );
}

/** A line chart whose less-used settings (metric, x axis, smoothing) sit in a menu on its card. */
function LineView({
  spec,
  runs,
  fields,
  onChange,
  actions,
}: ChartViewProps & { spec: Extract<ChartSpec, { type: 'line' }> }) {
  const smoothId = useId();
  const metricKeys = { metrics: fields.metrics, params: [], tags: [] };
  const otherMetrics = useMemo(
    () => fields.metrics.map((f) => f.slice('metrics.'.length)).filter((k) => k !== spec.metric),
    [fields.metrics, spec.metric],
  );
  const runIds = useMemo(() => runs.map((r) => r.id), [runs]);
  const labels = useMemo(() => Object.fromEntries(runs.map((r) => [r.id, r.label])), [runs]);
  const colors = useMemo(() => Object.fromEntries(runs.map((r) => [r.id, r.color])), [runs]);
  const settings = (
    <details className="chart-settings">
      <summary
        className="chart-tool"
        title="Chart settings: metric, x axis, smoothing"
        aria-label={`Settings of chart ${spec.metric}`}
      >
        ⚙
      </summary>
      <div className="chart-settings-panel">
        <FieldSelect
          label="Metric"
          value={`metrics.${spec.metric}`}
          fields={metricKeys}
          groups={['metrics']}
          onChange={(f) => onChange({ ...spec, metric: f.slice('metrics.'.length) })}
        />
        <XAxisSelect value={spec.x} metricKeys={otherMetrics} onChange={(x) => onChange({ ...spec, x })} />
        <div className="field">
          <label htmlFor={smoothId}>Smoothing (EMA): {spec.smoothing.toFixed(2)}</label>
          <input
            id={smoothId}
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={spec.smoothing}
            onChange={(e) => onChange({ ...spec, smoothing: Number(e.target.value) })}
          />
        </div>
      </div>
    </details>
  );
  return (
    // uPlot loads only when a line chart is on the panel.
    <MetricChart
      metricKey={spec.metric}
      runIds={runIds}
      runLabels={labels}
      runColors={colors}
      range={null}
      smoothing={spec.smoothing}
      xMode={spec.x}
      logY={spec.logY}
      logX={spec.logX}
      clip={spec.clip}
      onOptions={(patch) => onChange({ ...spec, ...patch })}
      maxPoints={chartPointsPerRun(runs.length)}
      actions={
        <>
          {settings}
          {actions}
        </>
      }
    />
  );
}
