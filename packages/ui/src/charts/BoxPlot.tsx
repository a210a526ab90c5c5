import { useMemo } from 'react';
import { groupBoxes } from '../lib/box-stats.ts';
import { buildAxis, toNumber } from '../lib/chart-axes.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';
import { LeftAxis, short } from './svg-axes.tsx';
import './charts.css';

const W = 480;
const H = 320;
const LEFT = 76;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 48;
const INSET = 0.04;

/** The distribution of a numeric field per value of a grouping field: quartile box, median, 1.5 × IQR whiskers, outliers. */
export default function BoxPlot({ runs, group, field }: { runs: readonly ChartRun[]; group: string; field: string }) {
  const model = useMemo(() => {
    const values = runs.map((r) => toNumber(r.values.get(field)));
    const groups = runs.map((r) => {
      const g = r.values.get(group);
      return g === undefined ? undefined : String(g);
    });
    const boxes = groupBoxes(groups, values);
    const axis = buildAxis(
      field,
      boxes.flatMap((b) => [b.stats.min, b.stats.max]),
    );
    return { boxes, axis };
  }, [runs, group, field]);
  if (model.boxes.length === 0)
    return (
      <p className="muted">
        No run has both {fieldKey(group)} and a numeric {fieldKey(field)}.
      </p>
    );
  const pw = W - LEFT - RIGHT;
  const ph = H - TOP - BOTTOM;
  const { axis } = model;
  const yOf = (v: number) => {
    if (axis.kind !== 'numeric' || axis.max === axis.min) return TOP + ph / 2;
    return TOP + (1 - INSET - ((v - axis.min) / (axis.max - axis.min)) * (1 - 2 * INSET)) * ph;
  };
  const band = pw / model.boxes.length;
  const bw = Math.min(60, band * 0.6);
  return (
    <svg
      className="run-chart box-plot"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${fieldKey(field)} by ${fieldKey(group)}: ${model.boxes.length} groups`}
    >
      <LeftAxis axis={axis} x={LEFT} top={TOP} height={ph} title={fieldKey(field)} inset={INSET} />
      <g className="axis">
        <line x1={LEFT} x2={LEFT + pw} y1={TOP + ph} y2={TOP + ph} />
      </g>
      {model.boxes.map(({ group: g, stats: s }, i) => {
        const cx = LEFT + band * (i + 0.5);
        return (
          <g key={g} className="box-group" data-group={g} data-n={s.n}>
            <title>{`${fieldKey(group)} = ${g}: n ${s.n}, median ${s.median}, quartiles ${s.q1}–${s.q3}`}</title>
            <line className="whisker" x1={cx} x2={cx} y1={yOf(s.whiskerHigh)} y2={yOf(s.q3)} />
            <line className="whisker" x1={cx} x2={cx} y1={yOf(s.q1)} y2={yOf(s.whiskerLow)} />
            <line
              className="whisker"
              x1={cx - bw / 4}
              x2={cx + bw / 4}
              y1={yOf(s.whiskerHigh)}
              y2={yOf(s.whiskerHigh)}
            />
            <line className="whisker" x1={cx - bw / 4} x2={cx + bw / 4} y1={yOf(s.whiskerLow)} y2={yOf(s.whiskerLow)} />
            <rect
              className="box"
              x={cx - bw / 2}
              width={bw}
              y={yOf(s.q3)}
              height={Math.max(1, yOf(s.q1) - yOf(s.q3))}
            />
            <line className="median" x1={cx - bw / 2} x2={cx + bw / 2} y1={yOf(s.median)} y2={yOf(s.median)} />
            {s.outliers.map((o, k) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: outliers may repeat a value
              <circle key={k} className="outlier" cx={cx} cy={yOf(o)} r={3} fill="none" stroke="currentColor" />
            ))}
            <text x={cx} y={TOP + ph + 16} textAnchor="middle">
              {short(g, 12)}
            </text>
            <text x={cx} y={TOP + ph + 30} textAnchor="middle">
              n={s.n}
            </text>
          </g>
        );
      })}
      <text className="axis-title" x={LEFT + pw / 2} y={H - 2} textAnchor="middle">
        {fieldKey(group)}
      </text>
    </svg>
  );
}
