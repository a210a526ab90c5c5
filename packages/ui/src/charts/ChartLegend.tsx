import { useState } from 'react';

export interface LegendEntry {
  id: string;
  name: string;
  color: string;
}

/**
 * The runs drawn in one chart, as swatch and short name; folded when long, and then its entries are
 * not rendered until it is opened: an experiment page draws a dozen 100-run charts at once, and
 * their folded legends' 3,600 elements were most of the page's work while its table first scrolled.
 */
export function ChartLegend({ entries }: { entries: readonly LegendEntry[] }) {
  const [open, setOpen] = useState(entries.length <= 12);
  return (
    <details className="chart-legend" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Legend ({entries.length} runs)</summary>
      {open ? (
        <ul className="legend">
          {entries.map((r) => (
            <li key={r.id} title={r.name} data-run-id={r.id}>
              <span className="swatch" style={{ background: r.color }} />
              <span className="legend-name">{r.name}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
