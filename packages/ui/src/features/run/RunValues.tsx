import type { Run } from '../../api/types.ts';
import { SearchInput } from '../../components/inputs.tsx';
import { Empty } from '../../components/status.tsx';
import { keyMatches } from '../../lib/metric-summary.ts';
import { MetricSummaryTable } from './MetricSummaryTable.tsx';
import { ParamTreeTable } from './ParamTreeTable.tsx';

/** The overview's params, metrics and tags under one search box (`?oq=`), which narrows all three. */
export function RunValues({ run, query, onQuery }: { run: Run; query: string; onQuery: (q: string) => void }) {
  const params = run.data.params ?? [];
  // MLflow's own `mlflow.*` tags are shown as details (user, source, parent…) or on the tags tab.
  const tags = (run.data.tags ?? []).filter((t) => !t.key.startsWith('mlflow.'));
  const shownTags = tags.filter((t) => keyMatches(t.key, query)).sort((a, b) => (a.key < b.key ? -1 : 1));
  return (
    <section className="run-values" aria-label="Parameters, metrics and tags">
      <div className="toolbar">
        <SearchInput
          label="Search parameters, metrics and tags"
          value={query}
          onCommit={onQuery}
          placeholder="key"
          className="grow"
        />
      </div>
      <h2>Parameters</h2>
      <ParamTreeTable params={params} query={query} />
      <h2>Metrics</h2>
      <MetricSummaryTable run={run} query={query} />
      <h2>Tags</h2>
      {shownTags.length === 0 ? (
        <Empty>{tags.length === 0 ? 'No tags.' : 'No tag matches.'}</Empty>
      ) : (
        <table className="data wrap-cells" aria-label="Run tags">
          <thead>
            <tr>
              <th scope="col" className="key-col">
                Key
              </th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {shownTags.map((t) => (
              <tr key={t.key} data-tag={t.key}>
                <th scope="row" className="mono" style={{ fontWeight: 400 }}>
                  {t.key}
                </th>
                <td>{t.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
