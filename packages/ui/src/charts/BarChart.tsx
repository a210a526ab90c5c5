import { useMemo } from 'react';
import { formatTick, niceTicks, toNumber } from '../lib/chart-axes.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';
import { short } from './svg-axes.tsx';
import './charts.css';

const W = 480;
const LEFT = 120;
const RIGHT = 60;
const ROW = 16;
const TOP = 8;
const AXIS = 24;

/** One horizontal bar per run for a numeric field (runs without a value are listed as such). */
export default function BarChart({ runs, field }: { runs: readonly ChartRun[]; field: string }) {
  const model = useMemo(() => {
    const values = runs.map((r) => toNumber(r.values.get(field)));
    const present = values.filter((v): v is number => v !== null);
    const lo = Math.min(0, ...present);
    const hi = Math.max(0, ...present);
    return { values, lo, hi: hi === lo ? lo + 1 : hi, present: present.length };
  }, [runs, field]);
  if (model.present === 0) return <p className="muted">No run has a numeric {fieldKey(field)}.</p>;
  const pw = W - LEFT - RIGHT;
  const xOf = (v: number) => LEFT + ((v - model.lo) / (model.hi - model.lo)) * pw;
  const H = TOP + runs.length * ROW + AXIS;
  return (
    <svg className="run-chart bar" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${fieldKey(field)} per run`}>
      {niceTicks(model.lo, model.hi, 5).map((t) => (
        <g key={t} className="axis">
          <line className="gridline" x1={xOf(t)} x2={xOf(t)} y1={TOP} y2={H - AXIS} />
          <text x={xOf(t)} y={H - AXIS + 14} textAnchor="middle">
            {formatTick(t)}
          </text>
        </g>
      ))}
      {runs.map((r, i) => {
        const v = model.values[i];
        const y = TOP + i * ROW;
        return (
          <g key={r.id} data-run-id={r.id}>
            <text x={LEFT - 6} y={y + ROW / 2} textAnchor="end" dominantBaseline="middle">
              {short(r.label, 20)}
            </text>
            {v === null ? (
              <text x={LEFT + 4} y={y + ROW / 2} dominantBaseline="middle">
                —
              </text>
            ) : (
              <>
                <rect
                  className="bar"
                  x={Math.min(xOf(0), xOf(v))}
                  y={y + 2}
                  width={Math.max(1, Math.abs(xOf(v) - xOf(0)))}
                  height={ROW - 4}
                  fill={r.color}
                >
                  <title>{`${r.label}: ${v}`}</title>
                </rect>
                <text x={Math.max(xOf(0), xOf(v)) + 4} y={y + ROW / 2} dominantBaseline="middle">
                  {formatTick(v)}
                </text>
              </>
            )}
          </g>
        );
      })}
    </svg>
  );
}
