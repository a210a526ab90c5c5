import { useMemo } from 'react';
import { scaledAxis } from '../lib/axis-scale.ts';
import { axisPosition } from '../lib/chart-axes.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';
import { BottomAxis, LeftAxis } from './svg-axes.tsx';
import './charts.css';

const W = 480;
const H = 320;
const LEFT = 70;
/** Keeps the extreme runs off the axis lines. */
const INSET = 0.04;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 48;

/** One dot per run at (x field, y field); runs missing either value are left out. Any param or metric on either axis. */
export default function ScatterChart({
  runs,
  x,
  y,
  highlighted,
}: {
  runs: readonly ChartRun[];
  x: string;
  y: string;
  highlighted?: readonly boolean[];
}) {
  const model = useMemo(() => {
    // Log where the values span decades (a learning-rate sweep), as on the parallel coordinates.
    const xa = scaledAxis(
      x,
      runs.map((r) => r.values.get(x)),
    );
    const ya = scaledAxis(
      y,
      runs.map((r) => r.values.get(y)),
    );
    const dots = runs.flatMap((r, i) => {
      const px = axisPosition(xa, r.values.get(x));
      const py = axisPosition(ya, r.values.get(y));
      return px === null || py === null ? [] : [{ run: r, i, px, py }];
    });
    return { xa, ya, dots };
  }, [runs, x, y]);
  const pw = W - LEFT - RIGHT;
  const ph = H - TOP - BOTTOM;
  return (
    <svg
      className="run-chart scatter"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${fieldKey(y)} against ${fieldKey(x)} for ${model.dots.length} runs`}
    >
      <LeftAxis axis={model.ya} x={LEFT} top={TOP} height={ph} title={fieldKey(y)} inset={INSET} />
      <BottomAxis axis={model.xa} y={TOP + ph} left={LEFT} width={pw} title={fieldKey(x)} inset={INSET} />
      {model.dots.map(({ run, i, px, py }) => (
        <circle
          key={run.id}
          className="dot"
          data-run-id={run.id}
          cx={LEFT + (INSET + px * (1 - 2 * INSET)) * pw}
          cy={TOP + (1 - INSET - py * (1 - 2 * INSET)) * ph}
          r={5}
          fill={run.color}
          fillOpacity={highlighted && !highlighted[i] ? 0.15 : 0.9}
        >
          <title>{`${run.label}: ${fieldKey(x)} ${run.values.get(x)}, ${fieldKey(y)} ${run.values.get(y)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
