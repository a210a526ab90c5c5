import { useEffect, useId, useRef, useState } from 'react';

/**
 * A labelled search box that reports its value after the user pauses typing, so each keystroke
 * does not become a request and a history entry. It follows outside changes (back button).
 */
export function SearchInput({
  label,
  value,
  onCommit,
  placeholder,
  delay = 250,
  className,
}: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
  placeholder?: string;
  delay?: number;
  className?: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const committed = useRef(value);
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const change = (v: string) => {
    setText(v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      committed.current = v;
      onCommit(v);
    }, delay);
  };
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => change(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}

/** Tabs as buttons (WAI-ARIA tabs pattern: arrow keys move between them). */
export function Tabs<T extends string>({
  tabs,
  current,
  onSelect,
  label,
}: {
  tabs: readonly (readonly [T, string])[];
  current: T;
  onSelect: (t: T) => void;
  label: string;
}) {
  const move = (dir: number) => {
    const i = tabs.findIndex(([t]) => t === current);
    const next = tabs[(i + dir + tabs.length) % tabs.length][0];
    onSelect(next);
    requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  };
  return (
    <div role="tablist" aria-label={label} className="tabs">
      {tabs.map(([t, text]) => (
        <button
          key={t}
          id={`tab-${t}`}
          type="button"
          role="tab"
          aria-selected={t === current}
          aria-controls={`panel-${t}`}
          tabIndex={t === current ? 0 : -1}
          onClick={() => onSelect(t)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(1);
            else if (e.key === 'ArrowLeft') move(-1);
          }}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
