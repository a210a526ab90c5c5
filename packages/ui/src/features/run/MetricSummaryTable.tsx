import type { Run } from '../../api/types.ts';
import { Empty, ErrorBox } from '../../components/status.tsx';
import { formatNumber } from '../../lib/format.ts';
import { metricRows } from '../../lib/metric-summary.ts';
import { useMetricSummaries } from './queries.ts';

/** Every metric of the run whose key matches `query`: latest value and step, min and max over its history. */
export function MetricSummaryTable({ run, query }: { run: Run; query: string }) {
  const summaries = useMetricSummaries(run.info.run_id);
  const latest = run.data.metrics ?? [];
  const rows = metricRows(latest, summaries.data?.metrics, query);
  if (rows.length === 0) return <Empty>{latest.length === 0 ? 'No metrics logged.' : 'No metric matches.'}</Empty>;
  // While the ranges load (or if they fail) the latest values still show.
  const range = (v: number | null | undefined) => (v === undefined ? '' : v === null ? 'NaN' : formatNumber(v));
  return (
    <>
      <ErrorBox error={summaries.error} title="Could not load metric ranges." />
      <table className="data wrap-cells" aria-label="Metrics">
        <thead>
          <tr>
            <th scope="col" className="key-col">
              Metric
            </th>
            <th scope="col" className="num">
              Latest
            </th>
            <th scope="col" className="num">
              Step
            </th>
            <th scope="col" className="num">
              Min
            </th>
            <th scope="col" className="num">
              Max
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-metric={r.key}>
              <th scope="row" className="mono" style={{ fontWeight: 400 }}>
                {r.key}
              </th>
              <td className="num" title={String(r.latest)}>
                {formatNumber(r.latest)}
              </td>
              <td className="num">{r.step}</td>
              <td className="num" title={r.min == null ? undefined : String(r.min)}>
                {range(r.min)}
              </td>
              <td className="num" title={r.max == null ? undefined : String(r.max)}>
                {range(r.max)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
