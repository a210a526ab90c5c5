import { type PointerEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { edgeKey } from '../../lib/lineage-paths.ts';
import { fitView, intersects, type View, visibleRect, zoomAt } from '../../lib/lineage-viewport.ts';
import type { LineageLayout, PlacedNode } from './elk-layout.ts';
import { NODE_KINDS } from './node-kinds.ts';

/** Below this zoom nodes are drawn as bare boxes: text at that size is unreadable and costs the most. */
const DETAIL_ZOOM = 0.4;

export interface GraphProps {
  layout: LineageLayout;
  root: string;
  selected: string;
  highlight: { nodes: Set<string>; edges: Set<string> } | null;
  onSelect(id: string): void;
  onReroot(id: string): void;
  /** Called once the layout's first frame is on screen. */
  onRendered?(): void;
}

const clip = (text: string, width: number) => {
  const max = Math.floor((width - 40) / 7);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/**
 * The laid-out graph as SVG: wheel zooms about the pointer, drag pans, "Fit" shows everything.
 * Only nodes and edges inside the view (plus a margin) are in the DOM, so a graph of a thousand
 * nodes stays cheap to pan.
 */
export function LineageGraph({ layout, root, selected, highlight, onSelect, onReroot, onRendered }: GraphProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 800, height: 520 });
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const moved = useRef(false);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new layout starts fitted; the frame after it is drawn is when it is on screen.
  useLayoutEffect(() => {
    const el = box.current;
    setView(fitView(layout.bounds, el?.clientWidth ?? 800, el?.clientHeight ?? 520));
    const frame = requestAnimationFrame(() => onRendered?.());
    return () => cancelAnimationFrame(frame);
  }, [layout, onRendered]);

  // React's wheel listener is passive: this one may stop the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      setView((v) => zoomAt(v, Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top));
    };
    el.addEventListener('wheel', wheel, { passive: false });
    return () => el.removeEventListener('wheel', wheel);
  }, []);

  const area = useMemo(() => visibleRect(view, size.width, size.height), [view, size]);
  const nodes = useMemo(() => layout.nodes.filter((n) => intersects(n, area)), [layout, area]);
  const edges = useMemo(() => layout.edges.filter((e) => intersects(e.bounds, area)), [layout, area]);
  const detail = view.k >= DETAIL_ZOOM;

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    moved.current = false;
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!d.moved) e.currentTarget.setPointerCapture(e.pointerId);
    d.moved = true;
    moved.current = true;
    d.x = e.clientX;
    d.y = e.clientY;
    setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  };
  const up = () => {
    drag.current = null;
  };

  const nodeClass = (n: PlacedNode) => {
    const c = ['lg-node', `t-${n.node.type}`];
    if (n.node.id === selected) c.push('selected');
    if (n.node.id === root) c.push('root');
    if (highlight) c.push(highlight.nodes.has(n.node.id) ? 'on-path' : 'dim');
    return c.join(' ');
  };

  return (
    <div className="lineage-canvas-wrap">
      <div className="lineage-tools">
        <button type="button" onClick={() => setView(fitView(layout.bounds, size.width, size.height))}>
          Fit
        </button>
        <button
          type="button"
          aria-label="Zoom in"
          onClick={() => setView((v) => zoomAt(v, 1.25, size.width / 2, size.height / 2))}
        >
          +
        </button>
        <button
          type="button"
          aria-label="Zoom out"
          onClick={() => setView((v) => zoomAt(v, 0.8, size.width / 2, size.height / 2))}
        >
          −
        </button>
        <span className="muted" data-testid="lineage-zoom">
          {Math.round(view.k * 100)}%
        </span>
      </div>
      <div
        ref={box}
        className="lineage-canvas"
        data-testid="lineage-canvas"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      >
        <svg width={size.width} height={size.height} role="img" aria-label="Lineage graph">
          <defs>
            <marker
              id="lineage-arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className="lineage-arrow" />
            </marker>
          </defs>
          <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
            {edges.map((e) => {
              const key = edgeKey(e.edge);
              const cls = highlight ? (highlight.edges.has(key) ? 'on-path' : 'dim') : '';
              return (
                <path
                  key={`${key}:${e.edge.kind}`}
                  className={`lineage-edge k-${e.edge.kind} ${cls}`}
                  data-from={e.edge.from}
                  data-to={e.edge.to}
                  d={`M${e.points.map((p) => `${p.x},${p.y}`).join('L')}`}
                  markerEnd="url(#lineage-arrow)"
                >
                  <title>{e.edge.kind}</title>
                </path>
              );
            })}
            {nodes.map((n) => {
              const kind = NODE_KINDS[n.node.type];
              const attr = kind.key ? n.node.attributes[kind.key] : undefined;
              return (
                // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
                <g
                  key={n.node.id}
                  className={nodeClass(n)}
                  transform={`translate(${n.x},${n.y})`}
                  data-node-id={n.node.id}
                  data-node-type={n.node.type}
                  data-on-path={highlight ? String(highlight.nodes.has(n.node.id)) : undefined}
                  role="button"
                  tabIndex={0}
                  aria-label={`${kind.name} ${n.node.label}`}
                  aria-pressed={n.node.id === selected}
                  onClick={() => {
                    if (!moved.current) onSelect(n.node.id);
                  }}
                  onDoubleClick={() => onReroot(n.node.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') onSelect(n.node.id);
                  }}
                >
                  <rect width={n.width} height={n.height} rx={6} />
                  {detail ? (
                    <>
                      <text x={10} y={28} className="lineage-badge">
                        {kind.badge}
                      </text>
                      <text x={30} y={20} className="lineage-label">
                        {clip(n.node.label, n.width)}
                      </text>
                      <text x={30} y={36} className="lineage-attr">
                        {attr === undefined || attr === null ? kind.name : clip(`${kind.name} · ${attr}`, n.width)}
                      </text>
                    </>
                  ) : null}
                  <title>{`${kind.name}: ${n.node.label}`}</title>
                </g>
              );
            })}
          </g>
        </svg>
      </div>
    </div>
  );
}
