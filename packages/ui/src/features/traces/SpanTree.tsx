import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, memo, useEffect, useRef } from 'react';
import type { TraceSpanOutline } from '../../api/traces.ts';
import { formatDuration } from '../../lib/format.ts';
import { barOf, type SpanTree as Tree } from '../../lib/span-tree.ts';

export const SPAN_ROW_HEIGHT = 26;
/** Indentation stops growing here: a 10k-deep chain still shows its names. */
const MAX_INDENT_LEVELS = 24;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** The duration beside its bar: right of it when there is room, else left of it, else inside it. */
function durationLabel(left: number, width: number): { style: CSSProperties; inside: boolean } {
  if (left + width <= 0.85) return { style: { left: `${(left + width) * 100}%` }, inside: false };
  if (left >= 0.15) return { style: { right: `${(1 - left) * 100}%` }, inside: false };
  return { style: {}, inside: true };
}

const SpanRow = memo(function SpanRow({
  span,
  tree,
  index,
  folded,
  selected,
  top,
  onSelect,
  onToggle,
}: {
  span: TraceSpanOutline;
  tree: Tree;
  index: number;
  folded: boolean;
  selected: boolean;
  top: number;
  onSelect: (i: number) => void;
  onToggle: (i: number) => void;
}) {
  const node = tree.nodes[index];
  const { left, width } = barOf(tree, node);
  const label = durationLabel(left, width);
  const error = span.status === 'ERROR';
  const hasChildren = node.children.length > 0;
  return (
    // biome-ignore lint/a11y/useFocusableInteractive: the tree itself holds focus (aria-activedescendant)
    // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the tree
    <div
      id={`span-row-${span.span_id}`}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-selected={selected}
      aria-expanded={hasChildren ? !folded : undefined}
      data-span-id={span.span_id}
      className={`span-row${selected ? ' selected' : ''}${error ? ' span-error' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: SPAN_ROW_HEIGHT }}
      onClick={() => onSelect(index)}
    >
      <div className="span-name" style={{ paddingLeft: 4 + Math.min(node.depth, MAX_INDENT_LEVELS) * 14 }}>
        {hasChildren ? (
          <button
            type="button"
            tabIndex={-1}
            className="span-toggle"
            aria-label={`${folded ? 'Unfold' : 'Fold'} ${span.name}`}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(index);
            }}
          >
            {folded ? '▸' : '▾'}
          </button>
        ) : (
          <span className="span-toggle" />
        )}
        {error ? (
          <span className="span-error-mark" role="img" aria-label="error">
            !
          </span>
        ) : null}
        <span className="span-label">{span.name}</span>
        {span.span_type ? <span className="span-type">{span.span_type}</span> : null}
        {node.depth > MAX_INDENT_LEVELS ? <span className="muted"> (depth {node.depth})</span> : null}
      </div>
      <div className="span-track">
        {/* A label inside its bar is the bar's child, so its background is the bar's. */}
        <div className="span-bar" style={{ left: `${left * 100}%`, width: `${width * 100}%` }}>
          {label.inside ? <span className="span-duration inside">{formatDuration(node.durationMs)}</span> : null}
        </div>
        {label.inside ? null : (
          <span className="span-duration" style={label.style}>
            {formatDuration(node.durationMs)}
          </span>
        )}
      </div>
    </div>
  );
});

/**
 * The span tree beside its waterfall, one row per shown span. Only the rows in view (plus a few)
 * are in the DOM; the layout (`lib/span-tree.ts`) is computed once per trace. Keys: ↑/↓ move,
 * ←/→ fold and unfold, Home/End.
 */
export function SpanTree({
  spans,
  tree,
  rows,
  folded,
  selected,
  onSelect,
  onToggle,
}: {
  spans: TraceSpanOutline[];
  tree: Tree;
  /** Span indexes shown, in order. */
  rows: number[];
  folded: ReadonlySet<number>;
  selected: number;
  onSelect: (i: number) => void;
  onToggle: (i: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => SPAN_ROW_HEIGHT,
    overscan: 10,
  });
  const position = rows.indexOf(selected);
  useEffect(() => {
    if (position >= 0) virtualizer.scrollToIndex(position, { align: 'auto' });
  }, [position, virtualizer]);
  const move = (to: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, to));
    if (rows.length > 0) onSelect(rows[i]);
  };
  const selectedSpan = spans[selected];
  return (
    <div className="span-tree-frame">
      <div className="span-axis" aria-hidden="true">
        <div className="span-name">Span</div>
        <div className="span-track">
          {TICKS.map((t) => (
            <span key={t} className="span-tick" style={{ left: `${t * 100}%` }}>
              {formatDuration(t * tree.totalMs)}
            </span>
          ))}
        </div>
      </div>
      <div
        className="span-scroll"
        ref={scrollRef}
        role="tree"
        aria-label="Spans"
        tabIndex={0}
        aria-activedescendant={selectedSpan ? `span-row-${selectedSpan.span_id}` : undefined}
        onKeyDown={(e) => {
          const node = tree.nodes[selected];
          if (e.key === 'ArrowDown') move(position + 1);
          else if (e.key === 'ArrowUp') move(position - 1);
          else if (e.key === 'Home') move(0);
          else if (e.key === 'End') move(rows.length - 1);
          else if (e.key === 'ArrowRight' && node && folded.has(selected)) onToggle(selected);
          else if (e.key === 'ArrowLeft' && node) {
            if (node.children.length > 0 && !folded.has(selected)) onToggle(selected);
            else if (node.parent >= 0) onSelect(node.parent);
          } else return;
          e.preventDefault();
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const i = rows[item.index];
            return (
              <SpanRow
                key={i}
                span={spans[i]}
                tree={tree}
                index={i}
                folded={folded.has(i)}
                selected={i === selected}
                top={item.start}
                onSelect={onSelect}
                onToggle={onToggle}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
