import { type PointerEvent, useMemo, useRef, useState } from 'react';
import { tickLabelChars, titleLayout, truncate } from '../lib/axis-labels.ts';
import type { ScaleOverrides } from '../lib/axis-scale.ts';
import { type Brushes, brushedRows, brushRange, keyboardBrush } from '../lib/brushing.ts';
import { type Axis, axisPosition, formatTick } from '../lib/chart-axes.ts';
import { resolveColorBy } from '../lib/color-by.ts';
import { rampColor, rampGradient } from '../lib/color-scale.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';
import { colorFieldOptions } from './field-kinds.ts';
import { ParallelAxisLabels } from './ParallelAxisLabels.tsx';
import { ParallelControls } from './ParallelControls.tsx';
import { parallelAxes, runPositions } from './parallel-model.ts';
import { LeftAxis } from './svg-axes.tsx';
import './charts.css';

const W = 900;
const H = 356;
const TOP = 60;
const BOTTOM = 16;
const SIDE = 70;
const PLOT_H = H - TOP - BOTTOM;
/** One object for "no choices", so the memoised axes are not rebuilt on every render. */
const NO_SCALES: ScaleOverrides = {};

export interface ParallelCoordinatesProps {
  runs: readonly ChartRun[];
  /** Field ids, one axis each, left to right. */
  axes: readonly string[];
  brushes: Brushes;
  /** A drag along an axis brushes it; a click on it (no drag) clears it. */
  onBrush: (field: string, range: [number, number] | null) => void;
  /** The user's linear/log choices; other numeric axes go log when their values span decades. */
  scales?: ScaleOverrides;
  onScales?: (scales: ScaleOverrides) => void;
  /** A field id, `run` for run colours, or empty for the default (the first metric axis). */
  colorBy?: string;
  onColorBy?: (choice: string) => void;
}

/**
 * One polyline per run across params and metrics axes (numeric, log or categorical), coloured by
 * a chosen field on a colour ramp (or by run). Runs outside the brushed ranges are drawn grey
 * underneath; SVG keeps 100 runs × 10 axes to ~100 paths.
 */
export default function ParallelCoordinates({
  runs,
  axes,
  brushes,
  onBrush,
  scales = NO_SCALES,
  onScales,
  colorBy: colorChoice,
  onColorBy,
}: ParallelCoordinatesProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ field: string; from: number; to: number } | null>(null);
  const model = useMemo(() => {
    const built = parallelAxes(runs, axes, scales);
    return { built, positions: runPositions(runs, built) };
  }, [runs, axes, scales]);
  const colorOptions = useMemo(() => colorFieldOptions(runs), [runs]);
  const colorBy = resolveColorBy(colorChoice, axes, [...colorOptions.metrics, ...colorOptions.params]);
  const colorAxis = useMemo<Axis | null>(
    () => (colorBy ? (model.built.find((a) => a.field === colorBy) ?? parallelAxes(runs, [colorBy], scales)[0]) : null),
    [colorBy, model, runs, scales],
  );
  const highlighted = useMemo(() => brushedRows(model.positions, axes, brushes), [model, axes, brushes]);
  const step = axes.length > 1 ? (W - 2 * SIDE) / (axes.length - 1) : 0;
  const titles = titleLayout(axes.length, step);
  const xOf = (i: number) => SIDE + i * step;
  const yOf = (pos: number) => TOP + (1 - pos) * PLOT_H;

  const toPos = (e: PointerEvent) => {
    const m = svg.current?.getScreenCTM();
    if (!m) return 0;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return 1 - (pt.y - TOP) / PLOT_H;
  };
  const paths = model.positions.map((row) => {
    let d = '';
    let pen = false;
    row.forEach((pos, a) => {
      if (pos === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xOf(a).toFixed(1)} ${yOf(pos).toFixed(1)}`;
      pen = true;
    });
    return d;
  });
  const strokeOf = (run: ChartRun): string | null => {
    if (!colorAxis) return run.color;
    const pos = axisPosition(colorAxis, run.values.get(colorAxis.field));
    return pos === null ? null : rampColor(pos);
  };
  const order = runs.map((_, i) => i).sort((a, b) => Number(highlighted[a]) - Number(highlighted[b]));
  const count = highlighted.filter(Boolean).length;

  return (
    <div>
      <ParallelControls
        runs={runs}
        axes={model.built}
        colorBy={colorBy}
        colorOptions={colorOptions}
        scales={scales}
        onColorBy={onColorBy}
        onScales={onScales}
      />
      <svg
        ref={svg}
        className="run-chart parallel"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Parallel coordinates of ${runs.length} runs over ${axes.map(fieldKey).join(', ')}${colorBy ? `, coloured by ${fieldKey(colorBy)}` : ''}`}
        data-highlighted-count={count}
        data-color-by={colorBy ?? 'run'}
      >
        {order.map((i) => {
          const stroke = strokeOf(runs[i]);
          return (
            <path
              key={runs[i].id}
              className={stroke ? 'pc-line' : 'pc-line no-value'}
              d={paths[i]}
              stroke={stroke ?? undefined}
              data-run-id={runs[i].id}
              data-highlighted={highlighted[i]}
            >
              <title>{runs[i].label}</title>
            </path>
          );
        })}
        {model.built.map((axis, a) => {
          const x = xOf(a);
          const b = drag?.field === axis.field ? brushRange(drag.from, drag.to) : brushes[axis.field];
          return (
            <g
              key={axis.field}
              data-axis={axis.field}
              data-scale={
                axis.kind === 'numeric' && axis.log ? 'log' : axis.kind === 'numeric' ? 'linear' : 'categorical'
              }
            >
              <LeftAxis
                axis={axis}
                x={x}
                top={TOP}
                height={PLOT_H}
                labelChars={tickLabelChars(a === 0 ? SIDE : step)}
              />
              <ParallelAxisLabels
                axis={axis}
                x={x}
                top={TOP}
                row={titles.rows === 2 ? a % 2 : 0}
                maxChars={titles.maxChars}
              />
              {b ? (
                <rect
                  className="brush"
                  data-field={axis.field}
                  x={x - 8}
                  width={16}
                  y={yOf(b[1])}
                  height={Math.max(1, (b[1] - b[0]) * PLOT_H)}
                />
              ) : null}
              <rect
                className="brush-target"
                data-brush-axis={axis.field}
                tabIndex={0}
                role="slider"
                aria-label={`Brush ${fieldKey(axis.field)}: arrow keys move the range, Shift+arrows resize it, Escape clears`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(((b?.[0] ?? 0) + (b?.[1] ?? 1)) * 50)}
                aria-valuetext={
                  b ? `${Math.round(b[0] * 100)}% to ${Math.round(b[1] * 100)}% of the axis` : 'not brushed'
                }
                onKeyDown={(e) => {
                  const next = keyboardBrush(brushes[axis.field], e.key, e.shiftKey);
                  if (next === undefined) return;
                  e.preventDefault();
                  onBrush(axis.field, next);
                }}
                x={x - 14}
                width={28}
                y={TOP}
                height={PLOT_H}
                onPointerDown={(e) => {
                  e.currentTarget.setPointerCapture(e.pointerId);
                  const p = toPos(e);
                  setDrag({ field: axis.field, from: p, to: p });
                }}
                onPointerMove={(e) => {
                  if (drag?.field === axis.field) setDrag({ ...drag, to: toPos(e) });
                }}
                onPointerUp={(e) => {
                  if (drag?.field !== axis.field) return;
                  const to = toPos(e);
                  setDrag(null);
                  onBrush(axis.field, Math.abs(to - drag.from) * PLOT_H < 3 ? null : brushRange(drag.from, to));
                }}
              />
            </g>
          );
        })}
      </svg>
      {colorAxis && colorAxis.kind === 'numeric' ? <ColorLegend axis={colorAxis} /> : null}
      <p className="chart-summary" role="status">
        {count} of {runs.length} runs highlighted
        {Object.keys(brushes).some((f) => axes.includes(f))
          ? ' (drag on an axis to brush, click it to clear)'
          : ' · drag along an axis to filter runs'}
      </p>
    </div>
  );
}

/** The colour ramp with the colour field's range, low to high. */
function ColorLegend({ axis }: { axis: Extract<Axis, { kind: 'numeric' }> }) {
  return (
    <div className="pc-legend" data-legend-field={axis.field}>
      <span className="mono" title={axis.field}>
        {truncate(fieldKey(axis.field), 32)}
      </span>
      <span>{formatTick(axis.min)}</span>
      <span className="pc-legend-bar" style={{ background: rampGradient() }} aria-hidden="true" />
      <span>{formatTick(axis.max)}</span>
      {axis.log ? <span className="muted">log scale</span> : null}
    </div>
  );
}
