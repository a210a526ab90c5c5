import { memo, useCallback, useId, useMemo, useRef, useState } from 'react';
import type { Run } from '../../api/types.ts';
import '../../charts/charts.css';
import { ChartView } from '../../charts/ChartView.tsx';
import { defaultFields } from '../../charts/chart-defaults.ts';
import {
  CHART_TYPES,
  type ChartLayout,
  type ChartSpec,
  type ChartType,
  chartTitle,
  DEFAULT_MAX_RUNS,
} from '../../charts/chart-layout.ts';
import { type ChartFields, type ChartRun, chartFields, toChartRuns } from '../../charts/chart-runs.ts';
import { chartSections, lineChart, withSectionCollapsed } from '../../charts/chart-sections.ts';
import { Empty } from '../../components/status.tsx';
import { useSeen } from '../../components/use-seen.ts';
import { useStableValue } from '../../lib/use-stable-value.ts';

const TYPE_NAMES: Record<ChartType, string> = {
  line: 'Line (metric history)',
  bar: 'Bar',
  scatter: 'Scatter',
  parallel: 'Parallel coordinates',
  contour: 'Contour',
  box: 'Box plot',
};

/**
 * The experiment page's charts panel: the layout's charts drawn for the first `maxRuns` runs of
 * the current filter and sort, in sections (custom charts, then metrics grouped by key prefix,
 * `system/` last), each section foldable, and an "add chart" control. Every edit produces a new
 * layout (kept in the URL by the page, saved with views).
 */
export default function ExperimentCharts({
  runs,
  colors,
  layout,
  onChange,
}: {
  runs: readonly Run[];
  /** Run id → the colour of its swatch in the table. */
  colors: Readonly<Record<string, string>>;
  layout: ChartLayout;
  onChange: (layout: ChartLayout) => void;
}) {
  // Later pages of the table append runs without changing the first `maxRuns`: keep the same
  // slice then, so the charts neither rebuild their series nor redraw while the table scrolls.
  const shown = useStablePrefix(runs, layout.maxRuns);
  // The page rebuilds its colour map with every page of runs; the charted runs' colours rarely change,
  // and a new map would make every chart rebuild its series and redraw in the middle of a scroll.
  const shownColors = shown.map((r) => `${r.info.run_id}=${colors[r.info.run_id] ?? ''}`).join(',');
  const stableColors = useStableValue(colors, shownColors);
  const charted = useMemo(() => toChartRuns(shown, stableColors), [shown, stableColors]);
  const fields = useMemo(() => chartFields(charted), [charted]);
  // The page hands a new `onChange` with every render; the sections below re-render only when what they draw changes.
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const change = useCallback((next: ChartLayout) => onChangeRef.current(next), []);

  return (
    <section className="experiment-charts" aria-label="Charts">
      <div className="toolbar">
        <AddChart
          runs={charted}
          fields={fields}
          onAdd={(spec) => onChange({ ...layout, charts: [...layout.charts, spec] })}
        />
        <MaxRuns value={layout.maxRuns} onChange={(maxRuns) => onChange({ ...layout, maxRuns })} />
        <span className="muted">
          Charting the first {charted.length} runs of the table
          {runs.length > charted.length ? ` (of ${runs.length} loaded)` : ''}.
        </span>
      </div>
      {layout.charts.length === 0 ? <Empty>No charts yet: add one above.</Empty> : null}
      <ChartSections layout={layout} runs={charted} fields={fields} onChange={change} />
    </section>
  );
}

/** The layout's sections, each foldable, with their charts. */
const ChartSections = memo(function ChartSections({
  layout,
  runs,
  fields,
  onChange,
}: {
  layout: ChartLayout;
  runs: readonly ChartRun[];
  fields: ChartFields;
  onChange: (layout: ChartLayout) => void;
}) {
  const sections = useMemo(() => chartSections(layout), [layout]);
  const setChart = (i: number, spec: ChartSpec | null) =>
    onChange({
      ...layout,
      charts: spec ? layout.charts.map((c, k) => (k === i ? spec : c)) : layout.charts.filter((_, k) => k !== i),
    });
  return sections.map((section) => (
    <details
      key={section.key}
      className="chart-section"
      data-section={section.key}
      open={!section.collapsed}
      onToggle={(e) => {
        const open = e.currentTarget.open;
        if (open === section.collapsed) onChange(withSectionCollapsed(layout, section.key, !open));
      }}
    >
      <summary>
        {section.title} ({section.charts.length})
      </summary>
      {/* A folded section's charts are not drawn, nor their data fetched. */}
      {section.collapsed ? null : (
        <div className="chart-grid-panel">
          {section.charts.map(({ spec, index }) => (
            <ChartSlot
              key={`${index}:${chartTitle(spec)}`}
              spec={spec}
              runs={runs}
              fields={fields}
              onChange={(next) => setChart(index, next)}
            />
          ))}
        </div>
      )}
    </details>
  ));
});

/** One chart of the layout; a line chart brings its own card (header controls included), the rest get one here. */
function ChartSlot({
  spec,
  runs,
  fields,
  onChange,
}: {
  spec: ChartSpec;
  runs: readonly ChartRun[];
  fields: ChartFields;
  onChange: (spec: ChartSpec | null) => void;
}) {
  const title = chartTitle(spec);
  // A wide experiment's default layout holds dozens of line charts: each fetches and draws once near view.
  const slot = useRef<HTMLElement>(null);
  const near = useSeen(slot, '600px');
  const remove = (
    <button type="button" className="chart-tool" onClick={() => onChange(null)} aria-label={`Remove chart ${title}`}>
      Remove
    </button>
  );
  if (spec.type === 'line')
    return (
      <section ref={slot} className="chart-slot" data-chart="line" aria-label={title}>
        {near ? (
          <ChartView spec={spec} runs={runs} fields={fields} onChange={onChange} actions={remove} />
        ) : (
          <div className="chart-card chart-placeholder" />
        )}
      </section>
    );
  return (
    <section className="chart-card" data-chart={spec.type} aria-label={title}>
      <h3>
        <span className="mono">{title}</span>
        {remove}
      </h3>
      <ChartView spec={spec} runs={runs} fields={fields} onChange={onChange} />
    </section>
  );
}

function AddChart({
  runs,
  fields,
  onAdd,
}: {
  runs: readonly ChartRun[];
  fields: ChartFields;
  onAdd: (spec: ChartSpec) => void;
}) {
  const id = useId();
  const [type, setType] = useState<ChartType>('line');
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault();
        const spec = newChart(type, runs, fields);
        if (spec) onAdd(spec);
      }}
    >
      <label htmlFor={id}>Chart type</label>
      <div style={{ display: 'flex', gap: 6 }}>
        <select id={id} value={type} onChange={(e) => setType(e.target.value as ChartType)}>
          {CHART_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_NAMES[t]}
            </option>
          ))}
        </select>
        <button type="submit" disabled={fields.metrics.length + fields.params.length === 0}>
          Add chart
        </button>
      </div>
    </form>
  );
}

/** How many of the table's runs are charted (1–100), applied when the field is left or Enter is pressed. */
function MaxRuns({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const id = useId();
  const commit = (raw: string) => {
    const n = Math.round(Number(raw));
    if (Number.isFinite(n) && n !== value) onChange(Math.min(DEFAULT_MAX_RUNS, Math.max(1, n)));
  };
  return (
    <div className="field">
      <label htmlFor={id}>Runs charted</label>
      <input
        id={id}
        key={value}
        type="number"
        min={1}
        max={DEFAULT_MAX_RUNS}
        defaultValue={value}
        style={{ width: '6em' }}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(e.currentTarget.value);
        }}
      />
    </div>
  );
}

/** A new chart of `type` over the fields most likely to be interesting; null when the runs have nothing to chart. */
function newChart(type: ChartType, runs: readonly ChartRun[], fields: ChartFields): ChartSpec | null {
  const d = defaultFields(runs, fields);
  const any = [...fields.metrics, ...fields.params];
  const metric = d.metric || any[0];
  const param = d.params[0] || any[0];
  if (!metric || !param) return null;
  switch (type) {
    case 'line':
      return d.metric ? lineChart(d.metric.slice('metrics.'.length)) : null;
    case 'bar':
      return { type, field: metric };
    case 'scatter':
      return { type, x: param, y: metric };
    case 'contour':
      return { type, x: d.numericParams[0] ?? param, y: d.numericParams[1] ?? d.numericParams[0] ?? param, z: metric };
    case 'box':
      return { type, group: d.group || param, field: metric };
    case 'parallel':
      return d.parallel.length >= 2 ? { type, axes: d.parallel, brushes: {} } : null;
  }
}

/** `items.slice(0, n)`, the same array as last time while its elements are the same objects. */
function useStablePrefix<T>(items: readonly T[], n: number): readonly T[] {
  const last = useRef<readonly T[]>([]);
  const prev = last.current;
  const len = Math.min(n, items.length);
  if (prev.length !== len || prev.some((item, i) => item !== items[i])) last.current = items.slice(0, len);
  return last.current;
}
