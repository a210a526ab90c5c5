import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useLocation } from '../app/router.tsx';
import './top-bar.css';

/**
 * The top bar's navigation and settings. Wide windows show them inline (the wrapper is
 * `display: contents`); below the breakpoint in top-bar.css they fold behind a menu button.
 * Escape, a click outside or moving to another page closes the menu.
 */
export function TopBarMenu({ children }: { children: ReactNode }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const { pathname, workspace } = useLocation();

  // biome-ignore lint/correctness/useExhaustiveDependencies: closing is what a new page means here
  useEffect(() => setOpen(false), [pathname, workspace]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="topbar-menu-button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">☰</span> Menu
      </button>
      <div ref={panel} id={id} className="topbar-menu" data-open={open}>
        {children}
      </div>
    </>
  );
}
