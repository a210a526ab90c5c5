import { useEffect, useId, useState } from 'react';
import type { ApiError } from '../../api/client.ts';
import { TIME_RANGES, type TimeRange } from './trace-list-state.ts';

/** `2025-01-31T14:05` in local time, what `<input type="datetime-local">` reads and writes. */
const toLocalInput = (ms: number | null) => {
  if (ms === null) return '';
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
const fromLocalInput = (v: string) => (v === '' ? null : new Date(v).getTime());

/**
 * The Traces tab's controls: a filter in MLflow's trace grammar, applied on Enter or the button
 * (the server's message shows under it when it refuses one), and the time range.
 */
export function TraceFilterBar({
  filter,
  onFilter,
  error,
  range,
  from,
  to,
  onRange,
}: {
  filter: string;
  onFilter: (f: string) => void;
  error: ApiError | undefined;
  range: TimeRange;
  from: number | null;
  to: number | null;
  onRange: (patch: { range: TimeRange; from: number | null; to: number | null }) => void;
}) {
  const id = useId();
  const [text, setText] = useState(filter);
  useEffect(() => setText(filter), [filter]);
  return (
    <div className="toolbar trace-toolbar">
      <search className="field grow">
        <form
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            onFilter(text.trim());
          }}
        >
          <label htmlFor={`${id}-filter`}>Filter traces (MLflow trace syntax)</label>
          <div className="trace-filter-row">
            <input
              id={`${id}-filter`}
              className="mono"
              type="search"
              value={text}
              placeholder="status = 'ERROR' AND tags.env = 'prod', text ILIKE '%refund%'"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit">Apply</button>
          </div>
          {error ? (
            <p id={`${id}-error`} role="alert" className="filter-error">
              <code className="error-code">{error.code}</code> {error.message}
            </p>
          ) : null}
        </form>
      </search>
      <div className="field">
        <label htmlFor={`${id}-range`}>Time range</label>
        <select
          id={`${id}-range`}
          value={range}
          onChange={(e) => {
            const next = e.target.value as TimeRange;
            const now = Date.now();
            // Custom starts from the last day, so both boxes have something to edit.
            onRange(
              next === 'custom'
                ? { range: next, from: from ?? now - 86_400_000, to }
                : { range: next, from: null, to: null },
            );
          }}
        >
          {TIME_RANGES.map(([r, label]) => (
            <option key={r} value={r}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {range === 'custom' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-from`}>From</label>
            <input
              id={`${id}-from`}
              type="datetime-local"
              value={toLocalInput(from)}
              onChange={(e) => onRange({ range, from: fromLocalInput(e.target.value), to })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To</label>
            <input
              id={`${id}-to`}
              type="datetime-local"
              value={toLocalInput(to)}
              onChange={(e) => onRange({ range, from, to: fromLocalInput(e.target.value) })}
            />
          </div>
        </>
      ) : null}
    </div>
  );
}
