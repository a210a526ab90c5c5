import { describe, expect, it } from 'vitest';
import { ordinal } from '../src/lib/format.ts';
import { edgeKey, pathsBetween } from '../src/lib/lineage-paths.ts';
import { fitView, intersects, visibleRect, zoomAt } from '../src/lib/lineage-viewport.ts';

// d1 → r1 → v1 → dep;  d2 → r2 → v2;  r1 → r3 (child) ;  d1 → r2
const edges = [
  { from: 'd1', to: 'r1' },
  { from: 'r1', to: 'v1' },
  { from: 'v1', to: 'dep' },
  { from: 'd2', to: 'r2' },
  { from: 'r2', to: 'v2' },
  { from: 'r1', to: 'r3' },
  { from: 'd1', to: 'r2' },
  { from: 'r2', to: 'v1' },
];

describe('pathsBetween', () => {
  it('marks every node and edge on some path from one end to the other', () => {
    const p = pathsBetween(edges, 'd1', 'dep');
    expect([...p.nodes].sort()).toEqual(['d1', 'dep', 'r1', 'r2', 'v1']);
    expect(p.edges.has(edgeKey({ from: 'r2', to: 'v1' }))).toBe(true);
    expect(p.edges.has(edgeKey({ from: 'r1', to: 'r3' }))).toBe(false);
  });

  it('works with the ends given against the flow, and finds nothing between unrelated nodes', () => {
    expect([...pathsBetween(edges, 'dep', 'd2').nodes].sort()).toEqual(['d2', 'dep', 'r2', 'v1']);
    expect(pathsBetween(edges, 'r3', 'v2').nodes.size).toBe(0);
    expect([...pathsBetween(edges, 'v1', 'v1').nodes]).toEqual(['v1']);
  });
});

describe('lineage viewport', () => {
  it('fits a graph into the screen, never above 1:1, centred', () => {
    const v = fitView({ x: 0, y: 0, width: 2000, height: 500 }, 1000, 500, 0);
    expect(v.k).toBe(0.5);
    expect(v.y).toBe(125);
    expect(fitView({ x: 0, y: 0, width: 100, height: 100 }, 1000, 500, 0).k).toBe(1);
  });

  it('zooms about the pointer: the point under it stays put', () => {
    const v = zoomAt({ x: 10, y: 20, k: 1 }, 2, 110, 120);
    expect([(110 - v.x) / v.k, (120 - v.y) / v.k]).toEqual([100, 100]);
  });

  it('knows what is in view', () => {
    const area = visibleRect({ x: -100, y: 0, k: 1 }, 800, 600, 0);
    expect(intersects({ x: 150, y: 10, width: 10, height: 10 }, area)).toBe(true);
    expect(intersects({ x: 950, y: 10, width: 10, height: 10 }, area)).toBe(false);
  });
});

describe('ordinal', () => {
  it('writes English ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '103rd',
      '111th',
    ]);
  });
});
