import { useEffect, useMemo, useRef } from 'react';
import { cssVar, useTheme } from '../app/theme.ts';
import { isNumericField } from '../lib/axis-choice.ts';
import { scaledAxis } from '../lib/axis-scale.ts';
import { type Axis, axisPosition, axisTicks, formatTick, toNumber } from '../lib/chart-axes.ts';
import { colorRamp, interpolateGrid } from '../lib/contour-grid.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';
import './charts.css';

const W = 520;
const H = 340;
const LEFT = 70;
const RIGHT = 84;
const TOP = 12;
const BOTTOM = 48;
const GRID_X = 48;
const GRID_Y = 32;

/**
 * A metric (z) over two params (x, y): the runs' values interpolated onto a grid (inverse
 * distance weighting in axis space, so categorical and numeric axes both work), painted on a
 * canvas with the runs as dots and a colour scale.
 */
export default function ContourChart({
  runs,
  x,
  y,
  z,
}: {
  runs: readonly ChartRun[];
  x: string;
  y: string;
  z: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useTheme();
  const model = useMemo(() => {
    // Log where the values span decades (a learning rate), as on the parallel coordinates.
    const xa = scaledAxis(
      x,
      runs.map((r) => r.values.get(x)),
    );
    const ya = scaledAxis(
      y,
      runs.map((r) => r.values.get(y)),
    );
    const zNumeric = isNumericField(runs.map((r) => r.values.get(z)));
    const points = runs.flatMap((r) => {
      const px = axisPosition(xa, r.values.get(x));
      const py = axisPosition(ya, r.values.get(y));
      const pz = toNumber(r.values.get(z));
      return px === null || py === null || pz === null ? [] : [{ x: px, y: py, z: pz }];
    });
    const notNumeric = [xa.kind === 'categorical' ? x : null, ya.kind === 'categorical' ? y : null, zNumeric ? null : z]
      .filter((f): f is string => !!f)
      .map(fieldKey);
    return { xa, ya, points, notNumeric, grid: interpolateGrid(points, GRID_X, GRID_Y) };
  }, [runs, x, y, z]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the theme changes the colours read inside
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !model.grid) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = W * dpr;
    el.height = H * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const pw = W - LEFT - RIGHT;
    const ph = H - TOP - BOTTOM;
    const g = model.grid;
    const span = g.zMax - g.zMin || 1;
    // Grid cells cover the points' extent in axis space, mapped onto the plot.
    const gx = (t: number) => LEFT + (g.x[0] + t * (g.x[1] - g.x[0] || 1)) * pw;
    const gy = (t: number) => TOP + (1 - (g.y[0] + t * (g.y[1] - g.y[0] || 1))) * ph;
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++) {
        const [r, gr, b] = colorRamp((g.z[j * g.nx + i] - g.zMin) / span);
        ctx.fillStyle = `rgb(${r},${gr},${b})`;
        const x0 = gx(i / g.nx);
        const y0 = gy((j + 1) / g.ny);
        ctx.fillRect(x0, y0, gx((i + 1) / g.nx) - x0 + 0.5, gy(j / g.ny) - y0 + 0.5);
      }
    }
    const fg = cssVar('--fg') || '#000';
    const muted = cssVar('--fg-muted') || '#555';
    const axisColor = cssVar('--chart-axis') || '#555';
    for (const p of model.points) {
      ctx.beginPath();
      ctx.arc(LEFT + p.x * pw, TOP + (1 - p.y) * ph, 3.5, 0, Math.PI * 2);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    ctx.strokeStyle = axisColor;
    ctx.fillStyle = muted;
    ctx.font = '11px system-ui, sans-serif';
    drawAxis(ctx, model.xa, 'x', pw, ph);
    drawAxis(ctx, model.ya, 'y', pw, ph);
    ctx.fillStyle = fg;
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(fieldKey(x), LEFT + pw / 2, H - 6);
    ctx.save();
    ctx.translate(14, TOP + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(fieldKey(y), 0, 0);
    ctx.restore();
    // Colour scale.
    const lx = W - RIGHT + 18;
    for (let k = 0; k < ph; k++) {
      const [r, gr, b] = colorRamp(1 - k / ph);
      ctx.fillStyle = `rgb(${r},${gr},${b})`;
      ctx.fillRect(lx, TOP + k, 14, 1);
    }
    ctx.fillStyle = muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.fillText(formatTick(g.zMax), lx + 18, TOP + 8);
    ctx.fillText(formatTick(g.zMin), lx + 18, TOP + ph);
    ctx.fillStyle = fg;
    ctx.fillText(fieldKey(z).slice(0, 12), lx - 4, TOP + ph + 24);
  }, [model, theme, x, y, z]);

  if (!x || !y || !z) return <p className="muted">A contour needs three numeric fields: pick x, y and colour above.</p>;
  if (model.notNumeric.length > 0)
    return (
      <p className="chart-message" role="status" data-not-numeric={model.notNumeric.join(',')}>
        {model.notNumeric.join(' and ')} {model.notNumeric.length > 1 ? 'are' : 'is'} not numeric: a contour needs
        numbers on x, y and colour. Pick numeric fields above.
      </p>
    );
  if (!model.grid)
    return (
      <p className="muted">
        A contour needs at least 3 runs with {fieldKey(x)}, {fieldKey(y)} and a numeric {fieldKey(z)}.
      </p>
    );
  return (
    <canvas
      ref={canvas}
      className="chart-canvas contour"
      style={{ aspectRatio: `${W} / ${H}`, maxWidth: W }}
      role="img"
      aria-label={`${fieldKey(z)} over ${fieldKey(x)} and ${fieldKey(y)}, interpolated from ${model.points.length} runs (${formatTick(model.grid.zMin)} to ${formatTick(model.grid.zMax)})`}
      data-points={model.points.length}
    />
  );
}

function drawAxis(ctx: CanvasRenderingContext2D, axis: Axis, dir: 'x' | 'y', pw: number, ph: number) {
  ctx.beginPath();
  if (dir === 'x') {
    ctx.moveTo(LEFT, TOP + ph);
    ctx.lineTo(LEFT + pw, TOP + ph);
  } else {
    ctx.moveTo(LEFT, TOP);
    ctx.lineTo(LEFT, TOP + ph);
  }
  ctx.stroke();
  ctx.textAlign = dir === 'x' ? 'center' : 'right';
  ctx.textBaseline = dir === 'x' ? 'top' : 'middle';
  for (const t of axisTicks(axis, 6)) {
    const label = t.label.length > 10 ? `${t.label.slice(0, 9)}…` : t.label;
    if (dir === 'x') ctx.fillText(label, LEFT + t.pos * pw, TOP + ph + 5);
    else ctx.fillText(label, LEFT - 5, TOP + (1 - t.pos) * ph);
  }
  ctx.textBaseline = 'alphabetic';
}
