import { type Axis, axisTicks } from '../lib/chart-axes.ts';

const TICK = 4;
const short = (s: string, n = 14) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A vertical axis at `x` spanning `top`..`top + height` (position 0 at the bottom), ticks labelled on the left.
 * `inset` (a fraction of the length) keeps the extreme values off the axis ends, where dots would sit on the lines.
 */
export function LeftAxis({
  axis,
  x,
  top,
  height,
  title,
  inset = 0,
  labelChars = 10,
}: {
  axis: Axis;
  x: number;
  top: number;
  height: number;
  title?: string;
  inset?: number;
  /** Longer tick labels are cut, the full text in a tooltip. */
  labelChars?: number;
}) {
  return (
    <g className="axis">
      <line x1={x} x2={x} y1={top} y2={top + height} />
      {axisTicks(axis, 5).map((t) => {
        const y = top + (1 - inset - t.pos * (1 - 2 * inset)) * height;
        return (
          <g key={`${t.label}-${t.pos}`}>
            <line x1={x - TICK} x2={x} y1={y} y2={y} />
            <text x={x - TICK - 2} y={y} textAnchor="end" dominantBaseline="middle">
              {short(t.label, labelChars)}
              {t.label.length > labelChars ? <title>{t.label}</title> : null}
            </text>
          </g>
        );
      })}
      {title ? (
        <text
          className="axis-title"
          transform={`translate(${x - 52},${top + height / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {short(title, 28)}
        </text>
      ) : null}
    </g>
  );
}

/** A horizontal axis at `y` spanning `left`..`left + width`, ticks labelled below. */
export function BottomAxis({
  axis,
  y,
  left,
  width,
  title,
  inset = 0,
}: {
  axis: Axis;
  y: number;
  left: number;
  width: number;
  title?: string;
  inset?: number;
}) {
  return (
    <g className="axis">
      <line x1={left} x2={left + width} y1={y} y2={y} />
      {axisTicks(axis, 6).map((t) => {
        const x = left + (inset + t.pos * (1 - 2 * inset)) * width;
        return (
          <g key={`${t.label}-${t.pos}`}>
            <line x1={x} x2={x} y1={y} y2={y + TICK} />
            <text x={x} y={y + TICK + 11} textAnchor="middle">
              {short(t.label, 12)}
            </text>
          </g>
        );
      })}
      {title ? (
        <text className="axis-title" x={left + width / 2} y={y + 34} textAnchor="middle">
          {short(title, 40)}
        </text>
      ) : null}
    </g>
  );
}

export { short };
