import { ChartsTab } from '../../app/lazy-modules.ts';
import { Link, useUrlState } from '../../app/router.tsx';
import { Tabs } from '../../components/inputs.tsx';
import { ErrorBox, Loading, StatusBadge } from '../../components/status.tsx';
import { lineageHref } from '../../lib/lineage-href.ts';
import { useExperiment } from '../experiments/queries.ts';
import { WatchButton } from '../notifications/WatchButton.tsx';
import { runName } from '../runs/run-values.ts';
import { ArtifactsTab } from './ArtifactsTab.tsx';
import { MediaTab } from './MediaTab.tsx';
import { MetricsTab } from './MetricsTab.tsx';
import { OverviewTab } from './OverviewTab.tsx';
import { ParamsTab } from './ParamsTab.tsx';
import { useRun } from './queries.ts';
import { RUN_TABS, runSpec } from './run-state.ts';
import { TagsTab } from './TagsTab.tsx';
import { useLiveRun } from './use-live-run.ts';

/** One run: overview, params tree, metrics, charts, files per step, artifacts and tags, one tab each (`?tab=`). */
export default function RunPage({ runId }: { runId: string }) {
  const [state, setState] = useUrlState(runSpec);
  const query = useRun(runId);
  const live = useLiveRun(runId);
  const run = query.data;
  const experiment = useExperiment(run?.info.experiment_id);
  if (query.isPending) return <Loading label="Loading run…" />;
  if (!run) {
    return (
      <section className="page">
        <ErrorBox error={query.error} title="Could not load the run." />
      </section>
    );
  }
  const expId = run.info.experiment_id;
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> /{' '}
        <Link to={`/experiments/${encodeURIComponent(expId)}`}>{experiment.data?.name ?? `Experiment ${expId}`}</Link> /
      </div>
      <div className="page-header">
        <h1>{runName(run)}</h1>
        <StatusBadge status={run.info.status} />
        <span className="muted mono">{run.info.run_id}</span>
        <WatchButton target={{ run_id: run.info.run_id }} />
        <Link to={lineageHref(`run:${run.info.run_id}`)} data-testid="lineage-link">
          Lineage
        </Link>
        <span className="muted live-note" role="status" data-testid="live-status">
          {live === 'live' ? 'Live' : live === 'reconnecting' ? 'Reconnecting…' : ''}
        </span>
      </div>
      <Tabs label="Run sections" tabs={RUN_TABS} current={state.tab} onSelect={(tab) => setState({ tab })} />
      <div role="tabpanel" id={`panel-${state.tab}`} aria-labelledby={`tab-${state.tab}`}>
        {state.tab === 'overview' ? (
          <OverviewTab run={run} query={state.oq} onQuery={(oq) => setState({ oq }, { replace: true })} />
        ) : null}
        {state.tab === 'params' ? (
          <ParamsTab run={run} query={state.pq} onQuery={(pq) => setState({ pq }, { replace: true })} />
        ) : null}
        {state.tab === 'metrics' ? (
          <MetricsTab run={run} onChart={(key) => setState({ tab: 'charts', m: [key], from: null, to: null })} />
        ) : null}
        {/* uPlot loads only when the charts tab opens. */}
        {state.tab === 'charts' ? <ChartsTab run={run} state={state} setState={setState} /> : null}
        {state.tab === 'media' ? (
          <MediaTab run={run} step={state.istep} onStep={(istep) => setState({ istep }, { replace: true })} />
        ) : null}
        {state.tab === 'artifacts' ? (
          <ArtifactsTab run={run} path={state.path} onSelect={(path) => setState({ path })} />
        ) : null}
        {state.tab === 'tags' ? <TagsTab run={run} /> : null}
      </div>
    </section>
  );
}
