import { useCallback, useMemo } from 'react';
import { Link, useUrlState } from '../../app/router.tsx';
import { isAccessDenied } from '../../components/AccessDenied.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { useLastGood } from '../../components/use-last-good.ts';
import { useExperiment } from '../experiments/queries.ts';
import { filterSyntaxError } from '../runs/FilterBox.tsx';
import { ExperimentTabs } from './ExperimentTabs.tsx';
import { useTraceList } from './queries.ts';
import { TraceFilterBar } from './TraceFilterBar.tsx';
import { TracesTable } from './TracesTable.tsx';
import { traceListSpec } from './trace-list-state.ts';
import './traces.css';

/** An experiment's traces (`/experiments/:id/traces`): filter in MLflow's trace grammar, time range, newest first. */
export default function TracesPage({ experimentId }: { experimentId: string }) {
  const [state, setState] = useUrlState(traceListSpec);
  const experiment = useExperiment(experimentId);
  const query = useTraceList(experimentId, state.filter, state.range, state.from, state.to);
  const refused = !!state.filter && !!filterSyntaxError(query.error);
  const shown = useLastGood(query.data, refused, experimentId);
  const traces = useMemo(() => shown?.pages.flatMap((p) => p.traces) ?? [], [shown]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const breadcrumbs = (
    <div className="breadcrumbs">
      <Link to="/experiments">Experiments</Link> /
    </div>
  );
  if (isAccessDenied(experiment.error))
    return (
      <section className="page">
        {breadcrumbs}
        <ErrorBox error={experiment.error} title={`Experiment ${experimentId}:`} />
      </section>
    );
  return (
    <section className="page">
      {breadcrumbs}
      <div className="page-header">
        <h1>{experiment.data?.name ?? `Experiment ${experimentId}`}</h1>
        <span className="muted mono">ID {experimentId}</span>
        <span className="muted" role="status">
          {query.data ? `${traces.length}${hasNextPage ? '+' : ''} traces` : ''}
        </span>
      </div>
      <ExperimentTabs experimentId={experimentId} current="traces" />
      <TraceFilterBar
        filter={state.filter}
        onFilter={(filter) => setState({ filter })}
        error={state.filter ? filterSyntaxError(query.error) : undefined}
        range={state.range}
        from={state.from}
        to={state.to}
        onRange={(patch) => setState(patch)}
      />
      <ErrorBox error={refused ? null : query.error} title="The search failed:" />
      {query.isPending ? (
        <Loading label="Loading traces…" />
      ) : traces.length === 0 && !query.error ? (
        <Empty>
          {state.filter || state.range !== 'all'
            ? 'No trace matches this filter and time range.'
            : 'This experiment has no traces yet. Traces logged with mlflow.trace or OpenTelemetry show here.'}
        </Empty>
      ) : traces.length > 0 ? (
        <TracesTable traces={traces} hasMore={!!hasNextPage} loadingMore={isFetchingNextPage} onLoadMore={loadMore} />
      ) : null}
    </section>
  );
}
