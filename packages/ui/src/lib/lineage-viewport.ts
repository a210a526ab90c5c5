/** Pan and zoom of the lineage graph: a translate + scale from graph to screen coordinates. Pure. */

export interface View {
  x: number;
  y: number;
  k: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 4;

const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/** The view that shows all of `bounds` inside a `width`×`height` screen with `pad` pixels around, at most 1:1. */
export function fitView(bounds: Box, width: number, height: number, pad = 24): View {
  if (bounds.width <= 0 || bounds.height <= 0 || width <= 0 || height <= 0) return { x: pad, y: pad, k: 1 };
  const k = clampZoom(Math.min((width - 2 * pad) / bounds.width, (height - 2 * pad) / bounds.height, 1));
  return {
    k,
    x: (width - bounds.width * k) / 2 - bounds.x * k,
    y: (height - bounds.height * k) / 2 - bounds.y * k,
  };
}

/** Zooms by `factor` keeping the graph point under screen point (px, py) where it is. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const k = clampZoom(v.k * factor);
  const f = k / v.k;
  return { k, x: px - (px - v.x) * f, y: py - (py - v.y) * f };
}

/** The graph-space rectangle a screen of `width`×`height` shows, grown by `margin` screen pixels. */
export function visibleRect(v: View, width: number, height: number, margin = 100): Box {
  return {
    x: (-v.x - margin) / v.k,
    y: (-v.y - margin) / v.k,
    width: (width + 2 * margin) / v.k,
    height: (height + 2 * margin) / v.k,
  };
}

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
