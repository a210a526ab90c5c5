import { useEffect, useId, useMemo } from 'react';
import { CompareCharts, MetricChart } from '../../app/lazy-modules.ts';
import { Link, useUrlState } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { useAfterPaint } from '../../components/use-after-paint.ts';
import { parseRunColors } from '../../lib/run-colors.ts';
import { useExperiment } from '../experiments/queries.ts';
import { lookup, runName } from '../runs/run-values.ts';
import { CommonArtifacts } from './CommonArtifacts.tsx';
import { CompareMetricCharts } from './CompareMetricCharts.tsx';
import { CompareTable } from './CompareTable.tsx';
import { commonestKey, compareRows } from './compare-rows.ts';
import { comparedRunIds, compareSpec } from './compare-state.ts';
import { useCompareRuns } from './queries.ts';

/**
 * Selected runs side by side: params, latest metrics and tags with differences highlighted (against
 * a chosen baseline run, with numeric deltas), one metric overlaid, parallel coordinates, scatter,
 * contour and box plot over params and metrics, and the artifacts every run has.
 */
export default function ComparePage() {
  const [state, setState] = useUrlState(compareSpec);
  const ids = useMemo(() => comparedRunIds(state.runs), [state.runs]);
  const query = useCompareRuns(ids, state.exp);
  // The charts' code loads while the runs do, not after (a no-op when the URL already preloaded it).
  useEffect(() => {
    void MetricChart.preload();
    void CompareCharts.preload();
  }, []);
  const runs = useMemo(() => query.data?.runs ?? [], [query.data]);
  const error = query.error ?? query.data?.error;
  const loading = query.isPending;
  // `runs` is a new array every render; the loaded ids say when it really changed.
  const runsKey = loading ? '' : runs.map((r) => r.info.run_id).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the loaded run ids
  const sections = useMemo(() => {
    if (loading) return null;
    return {
      params: compareRows(runs.map((r) => lookup(r).params)),
      metrics: compareRows(runs.map((r) => new Map([...lookup(r).metrics].map(([k, v]) => [k, String(v)])))),
      tags: compareRows(runs.map((r) => new Map([...lookup(r).tags].filter(([k]) => !k.startsWith('mlflow.'))))),
    };
  }, [runsKey]);
  const metricKeys = sections?.metrics.map((r) => r.key) ?? [];
  // Default to the metric most of the runs have, so the first chart shows them all (route-preload.ts
  // asks for the same chart as soon as the runs arrive).
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the loaded run ids
  const commonest = useMemo(() => commonestKey(runs.map((r) => lookup(r).metrics)), [runsKey]);
  const metrics = state.metric?.length ? state.metric : commonest ? [commonest] : [];
  const colors = useMemo(() => parseRunColors(state.color), [state.color]);
  const experiment = useExperiment(state.exp || undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by the loaded run ids
  const labels = useMemo(() => Object.fromEntries(runs.map((r) => [r.info.run_id, runName(r)])), [runsKey]);
  const loadedIds = useMemo(() => (runsKey ? runsKey.split(',') : []), [runsKey]);
  const diffCount = sections ? sections.params.filter((r) => r.differs).length : 0;
  const baseId = useId();
  const base = runs.findIndex((r) => r.info.run_id === state.base);
  // The table fills the first screen: it and the metric charts (little to build; they draw when
  // their data arrives) are painted before the many-run charts below them are built.
  const belowReady = useAfterPaint(sections !== null);
  // Parallel coordinates come first of those; scatter, contour, box plot and artifacts a paint later.
  const lowerReady = useAfterPaint(belowReady);

  if (ids.length === 0) {
    return (
      <section className="page">
        <h1>Compare runs</h1>
        <Empty>Select two or more runs in an experiment's runs table, then press Compare.</Empty>
      </section>
    );
  }
  return (
    <section className="page compare-page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> /{' '}
        {state.exp ? (
          <>
            <Link to={`/experiments/${encodeURIComponent(state.exp)}`}>
              {experiment.data?.name ?? `Experiment ${state.exp}`}
            </Link>{' '}
            /
          </>
        ) : null}
      </div>
      <div className="page-header">
        <h1>Compare {ids.length} runs</h1>
        {sections ? <span className="muted">{diffCount} parameters differ</span> : null}
      </div>
      <ErrorBox error={error} title="Could not load a run:" />
      {loading || !sections ? (
        <Loading label="Loading runs…" />
      ) : (
        <>
          <div className="toolbar">
            <label className="check">
              <input
                type="checkbox"
                checked={state.diff}
                onChange={(e) => setState({ diff: e.target.checked }, { replace: true })}
              />
              Show only differences
            </label>
            <div className="field">
              <label htmlFor={baseId}>Baseline run</label>
              <select
                id={baseId}
                value={base >= 0 ? state.base : ''}
                onChange={(e) => setState({ base: e.target.value }, { replace: true })}
              >
                <option value="">None</option>
                {runs.map((r) => (
                  <option key={r.info.run_id} value={r.info.run_id}>
                    {runName(r)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <CompareTable runs={runs} sections={sections} diffOnly={state.diff} base={base} />
          <h2>Metric charts</h2>
          {metricKeys.length === 0 ? (
            <Empty>These runs have no metrics.</Empty>
          ) : (
            <CompareMetricCharts
              metricKeys={metricKeys}
              metrics={metrics}
              runIds={loadedIds}
              labels={labels}
              colors={colors}
              state={state}
              setState={setState}
            />
          )}
          {belowReady ? null : <Loading label="Loading charts…" />}
        </>
      )}
      {sections && belowReady ? (
        <>
          <h2>Parameters and metrics across runs</h2>
          <CompareCharts runs={runs} colors={colors} state={state} setState={setState} lower={lowerReady} />
          {lowerReady ? (
            <>
              <h2>Common artifacts</h2>
              <CommonArtifacts runs={runs.map((r) => ({ id: r.info.run_id, label: runName(r) }))} />
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
