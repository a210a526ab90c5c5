import { truncate } from '../lib/axis-labels.ts';
import type { Axis } from '../lib/chart-axes.ts';
import { fieldKey } from './chart-layout.ts';

/** Baselines above the plot's top: the scale marker, then one or two rows of axis names (alternating when crowded). */
const MARK_Y = 12;
const ROW_Y = [28, 44];

const kindOf = (field: string) =>
  field.startsWith('metrics.') ? 'metric' : field.startsWith('params.') ? 'param' : 'tag';

/** An axis's name (cut to fit, the full name and kind in a tooltip) and a "log" mark on log axes. */
export function ParallelAxisLabels({
  axis,
  x,
  top,
  row,
  maxChars,
}: {
  axis: Axis;
  x: number;
  top: number;
  row: number;
  maxChars: number;
}) {
  const name = fieldKey(axis.field);
  const log = axis.kind === 'numeric' && axis.log;
  return (
    <>
      <text className="axis-title" x={x} y={top - ROW_Y[row]} textAnchor="middle">
        {truncate(name, maxChars)}
        <title>{`${name} (${kindOf(axis.field)}${log ? ', log scale' : ''})`}</title>
      </text>
      {log ? (
        <text className="axis-mark" x={x} y={top - MARK_Y} textAnchor="middle">
          log
        </text>
      ) : null}
    </>
  );
}
