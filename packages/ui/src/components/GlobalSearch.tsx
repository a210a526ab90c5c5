import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { searchNames } from '../api/projects.ts';
import { navigate } from '../app/router.tsx';
import { moveActive, searchItems, shortcutTarget } from '../lib/name-search.ts';

/**
 * The header's search: experiments, registered models and runs of the current workspace whose
 * name contains the text, and metric and param keys (a key opens its experiment with that column,
 * sorted). "/" focuses it; arrows walk the results, Enter opens one, Escape closes.
 */
export function GlobalSearch() {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const closeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 150);
    return () => clearTimeout(t);
  }, [text]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || !shortcutTarget(e.target as HTMLElement | null))
        return;
      e.preventDefault();
      inputRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const result = useQuery({
    queryKey: ['name-search', q],
    queryFn: ({ signal }) => searchNames(q, signal),
    enabled: q !== '',
    staleTime: 10_000,
  });
  const items = q && result.data ? searchItems(result.data) : [];
  useEffect(() => setActive(items.length > 0 ? 0 : -1), [items.length]);
  const shown = open && q !== '';

  const go = (href: string) => {
    setOpen(false);
    setText('');
    inputRef.current?.blur();
    navigate(href);
  };

  return (
    <div className="global-search">
      <label htmlFor={id} className="visually-hidden">
        Search experiments, models and runs, and metric or param keys
      </label>
      <input
        ref={inputRef}
        id={id}
        type="search"
        role="combobox"
        aria-expanded={shown}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={shown && active >= 0 ? `${id}-opt-${active}` : undefined}
        placeholder="Search (press /)"
        value={text}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => {
          // A close still pending from the last blur (clicks on a result land first) must not shut the list now.
          clearTimeout(closeTimer.current);
          setOpen(true);
        }}
        onBlur={() => {
          closeTimer.current = setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => moveActive(a, e.key === 'ArrowDown' ? 1 : -1, items.length));
          } else if (e.key === 'Enter' && active >= 0 && items[active]) {
            e.preventDefault();
            go(items[active].href);
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {shown ? (
        <div id={`${id}-list`} role="listbox" className="search-results" aria-label="Search results">
          {items.map((item, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the input owns the keyboard (combobox pattern)
            <div
              key={`${item.kind}:${item.href}`}
              id={`${id}-opt-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => go(item.href)}
            >
              <span className="search-kind">{item.kind}</span> <span className="search-label">{item.label}</span>
              {item.detail ? (
                <span className="muted">
                  {' '}
                  {item.kind === 'Metric' || item.kind === 'Param' ? '— in' : 'in'} {item.detail}
                </span>
              ) : null}
            </div>
          ))}
          {items.length === 0 ? (
            <div className="muted search-empty">
              {result.isFetching || q !== text.trim()
                ? 'Searching…'
                : result.error
                  ? 'Search failed.'
                  : 'Nothing matches.'}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
