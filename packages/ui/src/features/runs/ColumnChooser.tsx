import { useId, useState } from 'react';
import { type DataGroup, GROUPS } from './run-values.ts';

const TITLES: Record<DataGroup, string> = { metrics: 'Metrics', params: 'Parameters', tags: 'Tags' };
const MAX_LISTED = 300;

/** Which metric/param/tag columns the runs table shows; the choice lives in the URL (`col=`). */
export function ColumnChooser({ keys, chosen, onChange }: { keys: Record<DataGroup, string[]>; chosen: string[]; onChange: (ids: string[]) => void }) {
  const [query, setQuery] = useState('');
  const id = useId();
  const q = query.trim().toLowerCase();
  const set = new Set(chosen);
  const toggle = (colId: string, on: boolean) => onChange(on ? [...chosen, colId] : chosen.filter((c) => c !== colId));
  return (
    <details className="columns-menu">
      <summary className="button" aria-label={`Columns (${chosen.length} shown)`}>
        Columns ({chosen.length})
      </summary>
      <div className="columns-panel">
        <div className="field">
          <label htmlFor={id}>Find a column</label>
          <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </div>
        <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
          <button type="button" onClick={() => onChange([])}>
            Hide all
          </button>
        </div>
        {GROUPS.map((group) => {
          const matching = keys[group].filter((k) => !q || k.toLowerCase().includes(q));
          if (matching.length === 0) return null;
          return (
            <fieldset key={group}>
              <legend>
                {TITLES[group]} ({matching.length})
              </legend>
              {matching.slice(0, MAX_LISTED).map((key) => {
                const colId = `${group}.${key}`;
                return (
                  <label key={colId} className="check">
                    <input type="checkbox" checked={set.has(colId)} onChange={(e) => toggle(colId, e.target.checked)} />
                    <span className="mono">{key}</span>
                  </label>
                );
              })}
              {matching.length > MAX_LISTED ? <p className="muted">{matching.length - MAX_LISTED} more: type to narrow.</p> : null}
            </fieldset>
          );
        })}
      </div>
    </details>
  );
}
