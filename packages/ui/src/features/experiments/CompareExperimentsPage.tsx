import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { searchRuns } from '../../api/mlflow.ts';
import { hrefWith, Link, useUrlState } from '../../app/router.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { SortHeader } from '../../components/SortHeader.tsx';
import { Empty, ErrorBox, Loading, StatusBadge } from '../../components/status.tsx';
import { orderByClause } from '../../lib/filter.ts';
import { formatNumber, formatTime } from '../../lib/format.ts';
import { compareSpec } from '../compare/compare-state.ts';
import { ColumnChooser } from '../runs/ColumnChooser.tsx';
import { runUser } from '../runs/run-columns.tsx';
import { runName } from '../runs/run-values.ts';
import { compareExperimentsSpec } from './compare-experiments-state.ts';
import { chosenMetricColumns, latestMetric, metricKeysOf, nextSort } from './metric-columns.ts';
import { useExperiment } from './queries.ts';

/** The compare page draws at most 100 runs. */
const MAX_COMPARE = 100;

/**
 * Runs of several experiments in one list, the way MLflow's UI compares experiments: one
 * `runs/search` over all their ids, newest first, paged. Pick runs (or take the first 100) and
 * open them side by side on the compare page.
 */
export default function CompareExperimentsPage() {
  const [state, setState] = useUrlState(compareExperimentsSpec);
  const expIds = state.exp ?? [];
  const selected = useMemo(() => new Set(state.sel ?? []), [state.sel]);
  // Sorting happens on the server, like the runs table: the list is paged, never loaded whole.
  const orderBy = useMemo(
    () => [...state.sort.slice(0, 1).map((s) => orderByClause(s.id, s.desc)), 'attributes.start_time DESC'],
    [state.sort],
  );
  const search = useInfiniteQuery({
    queryKey: ['runs', expIds, state.q, orderBy, 'compare-experiments'],
    queryFn: ({ pageParam, signal }) =>
      searchRuns(
        {
          experimentIds: expIds,
          filter: state.q,
          orderBy,
          pageToken: pageParam,
          maxResults: MAX_COMPARE,
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPageToken : undefined),
    placeholderData: keepPreviousData,
    enabled: expIds.length > 0,
  });
  const runs = useMemo(() => search.data?.pages.flatMap((p) => p.items) ?? [], [search.data]);
  const metricKeys = useMemo(() => metricKeysOf(runs), [runs]);
  const columns = useMemo(() => chosenMetricColumns(state.col, runs), [state.col, runs]);
  const toggle = (id: string, on: boolean) =>
    setState({ sel: on ? [...selected, id] : [...selected].filter((s) => s !== id) }, { replace: true });
  const picked = selected.size > 0 ? [...selected] : runs.slice(0, MAX_COMPARE).map((r) => r.info.run_id);
  if (expIds.length === 0) {
    return (
      <section className="page">
        <h1>Compare experiments</h1>
        <Empty>Select experiments in the experiments list, then press Compare.</Empty>
      </section>
    );
  }
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/experiments">Experiments</Link> /
      </div>
      <div className="page-header">
        <h1>Runs of {expIds.length} experiments</h1>
        <span className="muted">
          {runs.length}
          {search.hasNextPage ? '+' : ''} runs
        </span>
      </div>
      <p>
        {expIds.map((id) => (
          <ExperimentChip key={id} id={id} />
        ))}
      </p>
      <div className="toolbar">
        <SearchInput
          label="Filter runs"
          value={state.q}
          onCommit={(q) => setState({ q }, { replace: true })}
          placeholder="e.g. metrics.accuracy > 0.9"
          className="grow"
        />
        {picked.length >= 2 ? (
          <Link
            className="button primary"
            to={hrefWith('/compare', compareSpec, { runs: picked.slice(0, MAX_COMPARE) })}
          >
            {selected.size > 0
              ? `Compare ${selected.size} selected runs`
              : `Compare the ${Math.min(picked.length, MAX_COMPARE)} newest runs`}
          </Link>
        ) : (
          <span className="muted">Select two or more runs to compare.</span>
        )}
        <ColumnChooser
          keys={{ metrics: metricKeys, params: [], tags: [] }}
          chosen={columns}
          onChange={(col) => setState({ col }, { replace: true })}
        />
      </div>
      <ErrorBox error={search.error} title="Could not search runs:" />
      {search.isPending ? (
        <Loading />
      ) : runs.length === 0 ? (
        <Empty>No runs in these experiments{state.q ? ' match this filter' : ''}.</Empty>
      ) : (
        <table className="data" aria-label="Runs of the compared experiments">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Run</th>
              <th scope="col">Experiment</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">User</th>
              {columns.map((c) => (
                <SortHeader
                  key={c}
                  label={c.slice('metrics.'.length)}
                  className="num"
                  title={`Latest value of ${c.slice('metrics.'.length)}`}
                  sort={state.sort[0]?.id === c ? (state.sort[0].desc ? 'desc' : 'asc') : null}
                  onSort={() => setState({ sort: nextSort(state.sort, c) })}
                />
              ))}
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.info.run_id} data-run-id={r.info.run_id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${runName(r)}`}
                    checked={selected.has(r.info.run_id)}
                    onChange={(e) => toggle(r.info.run_id, e.target.checked)}
                  />
                </td>
                <td>
                  <Link to={`/experiments/${encodeURIComponent(r.info.experiment_id)}/runs/${r.info.run_id}`}>
                    {runName(r)}
                  </Link>
                </td>
                <td>
                  <ExperimentName id={r.info.experiment_id} />
                </td>
                <td>
                  <StatusBadge status={r.info.status} />
                </td>
                <td>{formatTime(r.info.start_time)}</td>
                <td>{runUser(r)}</td>
                {columns.map((c) => (
                  <td key={c} className="num" data-column={c}>
                    {formatNumber(latestMetric(r, c.slice('metrics.'.length)))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {search.hasNextPage ? (
        <p>
          <button type="button" onClick={() => search.fetchNextPage()} disabled={search.isFetchingNextPage}>
            {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
    </section>
  );
}

function ExperimentName({ id }: { id: string }) {
  const e = useExperiment(id);
  return <>{e.data?.name ?? id}</>;
}

function ExperimentChip({ id }: { id: string }) {
  return (
    <Link className="chip" to={`/experiments/${encodeURIComponent(id)}`} data-experiment-id={id}>
      <ExperimentName id={id} />
    </Link>
  );
}
