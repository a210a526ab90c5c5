/**
 * Contour plots: scattered (x, y, z) run results interpolated onto a regular grid by inverse
 * distance weighting, in coordinates scaled to the unit square so that an axis measured in
 * thousands does not drown one measured in thousandths. Pure; the chart paints the cells.
 */

export interface XYZ {
  x: number;
  y: number;
  z: number;
}

export interface ContourGrid {
  nx: number;
  ny: number;
  x: [number, number];
  y: [number, number];
  /** Row-major, `ny` rows of `nx` cells; row 0 is the lowest y. */
  z: Float64Array;
  zMin: number;
  zMax: number;
}

/**
 * The interpolated grid, or null with fewer than 3 usable points. Cell centres take the
 * IDW average (weights 1/d^power); a centre on a data point takes that point's value.
 */
export function interpolateGrid(points: readonly XYZ[], nx: number, ny: number, power = 2): ContourGrid | null {
  const pts = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.z));
  if (pts.length < 3 || nx < 1 || ny < 1) return null;
  const xr = extent(pts.map((p) => p.x));
  const yr = extent(pts.map((p) => p.y));
  const zr = extent(pts.map((p) => p.z));
  const sx = xr[1] - xr[0] || 1;
  const sy = yr[1] - yr[0] || 1;
  const px = pts.map((p) => (p.x - xr[0]) / sx);
  const py = pts.map((p) => (p.y - yr[0]) / sy);
  const z = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const gy = (j + 0.5) / ny;
    for (let i = 0; i < nx; i++) {
      const gx = (i + 0.5) / nx;
      let wsum = 0;
      let zsum = 0;
      let exact = Number.NaN;
      for (let k = 0; k < pts.length; k++) {
        const d2 = (px[k] - gx) ** 2 + (py[k] - gy) ** 2;
        if (d2 < 1e-12) {
          exact = pts[k].z;
          break;
        }
        const w = 1 / d2 ** (power / 2);
        wsum += w;
        zsum += w * pts[k].z;
      }
      z[j * nx + i] = Number.isNaN(exact) ? zsum / wsum : exact;
    }
  }
  return { nx, ny, x: xr, y: yr, z, zMin: zr[0], zMax: zr[1] };
}

function extent(vs: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of vs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Viridis-like colour stops, readable on light and dark backgrounds. */
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of a value at fraction `t` (0..1) of the z range. */
export function colorRamp(t: number): [number, number, number] {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(c));
  const f = c - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}
