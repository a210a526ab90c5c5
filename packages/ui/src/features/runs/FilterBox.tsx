import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { applySuggestion, type Completion, completeFilter, type FilterKeys } from '../../lib/filter-autocomplete.ts';
import '../../components/navigation.css';

/** A 400 from the runs search: the filter sent was refused, and the server's message says where. */
export function filterSyntaxError(error: unknown): ApiError | undefined {
  return error instanceof ApiError && error.status === 400 ? error : undefined;
}

/**
 * The runs filter (MLflow grammar + OR/parentheses), applied on Enter or the button so a
 * half-typed expression is not sent. While typing it suggests fields, keys, operators and
 * joiners (`lib/filter-autocomplete.ts`); a filter the server rejects shows the server's message
 * right under the box (pass `error` only when a filter was sent).
 */
export function FilterBox({
  value,
  onApply,
  keys,
  error,
}: {
  value: string;
  onApply: (v: string) => void;
  keys: FilterKeys;
  error?: unknown;
}) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value);
  const [cursor, setCursor] = useState(value.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  useEffect(() => setText(value), [value]);

  // A filter that matches nothing (or fails) leaves no runs to read keys from: keep the last ones seen.
  const seenKeys = useRef(keys);
  if (keys.metrics.length + keys.params.length + keys.tags.length > 0) seenKeys.current = keys;
  const known = seenKeys.current;
  const completion: Completion = useMemo(() => completeFilter(text, cursor, known), [text, cursor, known]);
  const suggestions = open ? completion.suggestions : [];
  const syntaxError = filterSyntaxError(error);

  const accept = (index: number) => {
    const next = applySuggestion(text, completion, completion.suggestions[index]);
    setText(next.text);
    setCursor(next.cursor);
    setActive(-1);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(next.cursor, next.cursor));
  };
  const track = (el: HTMLInputElement) => setCursor(el.selectionStart ?? el.value.length);

  return (
    <search className="field grow">
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(false);
          onApply(text.trim());
        }}
      >
        <label htmlFor={id}>Filter runs (MLflow syntax; OR and parentheses allowed)</label>
        <div style={{ display: 'flex', gap: 6 }}>
          <div className="filter-box" style={{ flex: 1 }}>
            <input
              ref={inputRef}
              id={id}
              className="mono"
              style={{ width: '100%' }}
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={suggestions.length > 0}
              aria-controls={`${id}-suggestions`}
              aria-activedescendant={active >= 0 && suggestions.length > 0 ? `${id}-s-${active}` : undefined}
              aria-invalid={syntaxError ? true : undefined}
              aria-describedby={syntaxError ? `${id}-error` : undefined}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                track(e.target);
                setActive(-1);
                setOpen(true);
              }}
              onSelect={(e) => track(e.currentTarget)}
              onFocus={() => setOpen(true)}
              onBlur={() => setTimeout(() => setOpen(false), 150)}
              onKeyDown={(e) => {
                if (suggestions.length === 0) return;
                if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                  e.preventDefault();
                  const n = suggestions.length;
                  setActive((a) =>
                    a < 0 ? (e.key === 'ArrowDown' ? 0 : n - 1) : (a + (e.key === 'ArrowDown' ? 1 : -1) + n) % n,
                  );
                } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0) {
                  e.preventDefault();
                  accept(active);
                } else if (e.key === 'Escape') {
                  setOpen(false);
                }
              }}
              placeholder="metrics.loss < 0.5 AND (params.optimizer = 'adam' OR tags.team = 'vision')"
              autoComplete="off"
              spellCheck={false}
            />
            {suggestions.length > 0 ? (
              <div
                id={`${id}-suggestions`}
                role="listbox"
                className="filter-suggestions"
                aria-label="Filter suggestions"
              >
                {suggestions.map((s, i) => (
                  // biome-ignore lint/a11y/useKeyWithClickEvents: the input owns the keyboard (combobox pattern)
                  <div
                    key={`${s.kind}:${s.label}`}
                    id={`${id}-s-${i}`}
                    role="option"
                    tabIndex={-1}
                    aria-selected={i === active}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => accept(i)}
                  >
                    {s.label}
                  </div>
                ))}
              </div>
            ) : null}
          </div>
          <button type="submit">Apply</button>
          {value ? (
            <button
              type="button"
              onClick={() => {
                setText('');
                onApply('');
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
        {syntaxError ? (
          <p id={`${id}-error`} role="alert" className="filter-error">
            <code className="error-code">{syntaxError.code}</code> {syntaxError.message}
          </p>
        ) : null}
      </form>
    </search>
  );
}
