import { useState } from 'react';
import type { Run } from '../../api/types.ts';
import { SearchInput } from '../../components/inputs.tsx';
import { Empty } from '../../components/status.tsx';
import { formatNumber, formatTime } from '../../lib/format.ts';

/** Latest value of every metric, with a link to its chart. */
export function MetricsTab({ run, onChart }: { run: Run; onChart: (key: string) => void }) {
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const metrics = [...(run.data.metrics ?? [])]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .filter((m) => !q || m.key.toLowerCase().includes(q));
  return (
    <div>
      <div className="toolbar">
        <SearchInput label="Search metrics" value={query} onCommit={setQuery} delay={0} className="grow" />
      </div>
      {metrics.length === 0 ? (
        <Empty>{run.data.metrics?.length ? 'No metric matches.' : 'No metrics logged.'}</Empty>
      ) : (
        <table className="data" aria-label="Metrics">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Latest value
              </th>
              <th scope="col" className="num">
                Step
              </th>
              <th scope="col">Logged at</th>
              <th scope="col">
                <span className="visually-hidden">Chart</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {metrics.map((m) => (
              <tr key={m.key}>
                <th scope="row" className="mono" style={{ fontWeight: 400 }}>
                  {m.key}
                </th>
                <td className="num">{formatNumber(m.value)}</td>
                <td className="num">{m.step ?? 0}</td>
                <td>{formatTime(m.timestamp)}</td>
                <td>
                  <button type="button" onClick={() => onChart(m.key)} aria-label={`Chart ${m.key}`}>
                    Chart
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
