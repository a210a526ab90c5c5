import { type KeyboardEvent, type PointerEvent, useRef } from 'react';
import { clampWidth } from './column-layout.ts';

/** Pixels an arrow key moves a column edge (Shift: ten times as far). */
const KEY_STEP = 10;

/**
 * The drag handle on a header's right edge: drag it to resize the column (the width follows the
 * pointer through `onLive`, and is committed once on release), or focus it and press ←/→.
 */
export function ColumnResizer({
  title,
  width,
  onLive,
  onCommit,
}: {
  title: string;
  width: number;
  onLive: (px: number | null) => void;
  onCommit: (px: number) => void;
}) {
  const drag = useRef<{ startX: number; startWidth: number; px: number } | null>(null);
  const down = (e: PointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startWidth: width, px: width };
  };
  const move = (e: PointerEvent<HTMLSpanElement>) => {
    const d = drag.current;
    if (!d) return;
    d.px = clampWidth(d.startWidth + e.clientX - d.startX);
    onLive(d.px);
  };
  const up = () => {
    const d = drag.current;
    drag.current = null;
    onLive(null);
    if (d && d.px !== d.startWidth) onCommit(d.px);
  };
  const key = (e: KeyboardEvent<HTMLSpanElement>) => {
    const step = (e.shiftKey ? 10 : 1) * KEY_STEP;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      onCommit(clampWidth(width + (e.key === 'ArrowRight' ? step : -step)));
    }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable separator is the ARIA pattern for a splitter; <hr> cannot take focus or pointer drags
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize column ${title}`}
      aria-valuenow={width}
      aria-valuemin={40}
      aria-valuemax={1000}
      title={`Resize ${title} (drag, or ←/→)`}
      tabIndex={0}
      className="col-resizer"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onKeyDown={key}
    />
  );
}
