import { describe, expect, it } from 'vitest';
import { boxStats, groupBoxes, quantile } from '../src/lib/box-stats.ts';
import { colorRamp, interpolateGrid } from '../src/lib/contour-grid.ts';

describe('box plot statistics', () => {
  it('interpolates quantiles linearly between ranks (NumPy default)', () => {
    const s = [1, 2, 3, 4];
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 0.25)).toBe(1.75);
    expect(quantile(s, 0.5)).toBe(2.5);
    expect(quantile(s, 1)).toBe(4);
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('computes quartiles, Tukey whiskers and outliers from finite values only', () => {
    const st = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100, null, Number.NaN]);
    expect(st).toMatchObject({
      n: 9,
      min: 1,
      q1: 3,
      median: 5,
      q3: 7,
      max: 100,
      whiskerLow: 1,
      whiskerHigh: 8,
      outliers: [100],
    });
    expect(st?.mean).toBeCloseTo(136 / 9);
    expect(boxStats([null])).toBeNull();
  });

  it('groups values per category in natural order, skipping runs without either', () => {
    const boxes = groupBoxes(['b10', 'b9', 'b10', undefined, 'b9', 'b9'], [1, 2, 3, 4, null, 6]);
    expect(boxes.map((b) => [b.group, b.stats.n, b.stats.median])).toEqual([
      ['b9', 2, 4],
      ['b10', 2, 2],
    ]);
  });
});

describe('contour grid', () => {
  it('reproduces the data at the points and stays within their range between them', () => {
    // z = x + y at four corners; the grid spans their extent.
    const pts = [
      { x: 0.25, y: 0.25, z: 0 },
      { x: 0.75, y: 0.25, z: 1 },
      { x: 0.25, y: 0.75, z: 1 },
      { x: 0.75, y: 0.75, z: 2 },
    ];
    const g = interpolateGrid(pts, 4, 4)!;
    expect(g.x).toEqual([0.25, 0.75]);
    expect(g.zMin).toBe(0);
    expect(g.zMax).toBe(2);
    for (const v of g.z) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(2);
    }
    // Row-major from the lowest y: the low-left cell is near 0, the high-right near 2, and it rises along x.
    expect(g.z[0]).toBeLessThan(0.5);
    expect(g.z[15]).toBeGreaterThan(1.5);
    expect(g.z[1]).toBeGreaterThan(g.z[0]);
    expect(g.z[4]).toBeGreaterThan(g.z[0]);
  });

  it('takes a data point’s value on a cell centre, scales axes of very different units, and needs 3 points', () => {
    // x in thousands, y in thousandths: the centre cell of a 3 × 3 grid is exactly on (1000, 0.002).
    const pts = [
      { x: 0, y: 0.001, z: 10 },
      { x: 2000, y: 0.003, z: 10 },
      { x: 1000, y: 0.002, z: 50 },
      { x: 0, y: 0.003, z: 10 },
      { x: 2000, y: 0.001, z: 10 },
    ];
    const g = interpolateGrid(pts, 3, 3)!;
    expect(g.z[4]).toBeCloseTo(50);
    expect(g.z[3]).toBeCloseTo(g.z[1]); // symmetric once both axes are scaled to the unit square
    expect(interpolateGrid(pts.slice(0, 2), 3, 3)).toBeNull();
    expect(interpolateGrid([...pts.slice(0, 2), { x: Number.NaN, y: 0, z: 1 }], 3, 3)).toBeNull();
  });

  it('ramps colours from dark purple to yellow and clamps outside 0..1', () => {
    expect(colorRamp(0)).toEqual([68, 1, 84]);
    expect(colorRamp(1)).toEqual([253, 231, 37]);
    expect(colorRamp(-3)).toEqual(colorRamp(0));
    expect(colorRamp(Number.NaN)).toEqual(colorRamp(0));
    expect(colorRamp(0.5)).toEqual([33, 145, 140]);
  });
});
