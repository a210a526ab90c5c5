import { type PointerEvent, useMemo, useRef, useState } from 'react';
import { type Brushes, brushedRows, brushRange, keyboardBrush } from '../lib/brushing.ts';
import { axisPosition, buildAxis } from '../lib/chart-axes.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';
import { LeftAxis, short } from './svg-axes.tsx';
import './charts.css';

const W = 900;
const H = 340;
const TOP = 44;
const BOTTOM = 16;
const SIDE = 70;
const PLOT_H = H - TOP - BOTTOM;

export interface ParallelCoordinatesProps {
  runs: readonly ChartRun[];
  /** Field ids, one axis each, left to right. */
  axes: readonly string[];
  brushes: Brushes;
  /** A drag along an axis brushes it; a click on it (no drag) clears it. */
  onBrush: (field: string, range: [number, number] | null) => void;
}

/**
 * One polyline per run across params and metrics axes (numeric or categorical). Runs outside
 * the brushed ranges are drawn grey underneath; SVG keeps 100 runs × 10 axes to ~100 paths.
 */
export default function ParallelCoordinates({ runs, axes, brushes, onBrush }: ParallelCoordinatesProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ field: string; from: number; to: number } | null>(null);
  const model = useMemo(() => {
    const built = axes.map((f) =>
      buildAxis(
        f,
        runs.map((r) => r.values.get(f)),
      ),
    );
    const positions = runs.map((r) => built.map((a) => axisPosition(a, r.values.get(a.field))));
    return { built, positions };
  }, [runs, axes]);
  const highlighted = useMemo(() => brushedRows(model.positions, axes, brushes), [model, axes, brushes]);
  const step = axes.length > 1 ? (W - 2 * SIDE) / (axes.length - 1) : 0;
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
  const order = runs.map((_, i) => i).sort((a, b) => Number(highlighted[a]) - Number(highlighted[b]));
  const count = highlighted.filter(Boolean).length;

  return (
    <div>
      <svg
        ref={svg}
        className="run-chart parallel"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Parallel coordinates of ${runs.length} runs over ${axes.map(fieldKey).join(', ')}`}
        data-highlighted-count={count}
      >
        {order.map((i) => (
          <path
            key={runs[i].id}
            className="pc-line"
            d={paths[i]}
            stroke={runs[i].color}
            data-run-id={runs[i].id}
            data-highlighted={highlighted[i]}
          >
            <title>{runs[i].label}</title>
          </path>
        ))}
        {model.built.map((axis, a) => {
          const x = xOf(a);
          const b = drag?.field === axis.field ? brushRange(drag.from, drag.to) : brushes[axis.field];
          return (
            <g key={axis.field} data-axis={axis.field}>
              <LeftAxis axis={axis} x={x} top={TOP} height={PLOT_H} />
              <text className="axis-title" x={x} y={TOP - 22} textAnchor="middle">
                {short(fieldKey(axis.field), 16)}
              </text>
              <text x={x} y={TOP - 9} textAnchor="middle">
                {axis.field.startsWith('metrics.') ? 'metric' : axis.field.startsWith('params.') ? 'param' : 'tag'}
              </text>
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
      <p className="chart-summary" role="status">
        {count} of {runs.length} runs highlighted
        {Object.keys(brushes).some((f) => axes.includes(f))
          ? ' (drag on an axis to brush, click it to clear)'
          : ' · drag along an axis to filter runs'}
      </p>
    </div>
  );
}
