import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useMemo } from 'react';
import { runsCsvUrl } from '../../api/runs.ts';
import type { Run } from '../../api/types.ts';
import type { SavedView } from '../../api/views.ts';
import { hrefWith, Link, navigate, useUrlState } from '../../app/router.tsx';
import { defaultChartLayout } from '../../charts/chart-sections.ts';
import { isAccessDenied } from '../../components/AccessDenied.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { useLastGood } from '../../components/use-last-good.ts';
import { throttle, useLiveTopic } from '../../lib/live.ts';
import { useStableValue } from '../../lib/use-stable-value.ts';
import { compareSpec } from '../compare/compare-state.ts';
import { useExperiment } from '../experiments/queries.ts';
import { WatchButton } from '../notifications/WatchButton.tsx';
import { ExperimentTabs } from '../traces/ExperimentTabs.tsx';
import { ArrangeBar } from './ArrangeBar.tsx';
import { BulkRunActions } from './BulkRunActions.tsx';
import { ChartsPanel } from './ChartsPanel.tsx';
import { ColumnChooser } from './ColumnChooser.tsx';
import { ALL_COLUMNS } from './column-choice.ts';
import { ExperimentDescription } from './ExperimentDescription.tsx';
import { experimentSpec, runSearchArgs, STATUSES } from './experiment-state.ts';
import { FilterBox, filterSyntaxError } from './FilterBox.tsx';
import { useExperimentKeys, useRunSearch } from './queries.ts';
import { RunsTable } from './RunsTable.tsx';
import { collectKeys, mergeKeys, runName } from './run-values.ts';
import { fromViewState, sameAsView, toViewState } from './runs-view-state.ts';
import { useNestParents } from './use-nest-parents.ts';
import { useRunArrangement } from './use-run-arrangement.ts';
import { useTableColumns } from './use-table-columns.ts';
import { ViewsMenu } from './ViewsMenu.tsx';

/** The URL state that applies a saved view (and marks it as the active one). */
function viewPatch(v: SavedView) {
  const patch = fromViewState(v.state);
  const status = STATUSES.find((s) => s === patch.status) ?? '';
  return { ...patch, status, view: v.view_id };
}

const NO_RUNS: Run[] = [];

/** Runs re-read at most this often while events arrive (a run logging every 50 ms). */
const LIVE_REFRESH_MS = 1000;
const LIVE_RUN_EVENTS = new Set(['run_created', 'run', 'metrics', 'resync']);

/** One experiment's runs: filter (MLflow grammar + OR/parentheses), sort, choose columns, select runs to compare. */
export default function ExperimentPage({ experimentId }: { experimentId: string }) {
  const [state, setState] = useUrlState(experimentSpec);
  const experiment = useExperiment(experimentId);
  const { filter, orderBy, viewType } = useMemo(() => runSearchArgs(state), [state]);
  const runsQuery = useRunSearch(experimentId, filter, orderBy, false, viewType);
  // New runs, status changes and metric points arrive as events (no polling): the loaded pages re-read.
  const queryClient = useQueryClient();
  const rereadRuns = useMemo(
    () => throttle(() => void queryClient.invalidateQueries({ queryKey: ['runs', experimentId] }), LIVE_REFRESH_MS),
    [queryClient, experimentId],
  );
  const live = useLiveTopic([`experiment:${experimentId}`], (e) => {
    if (LIVE_RUN_EVENTS.has(e.name)) rereadRuns();
  });
  // A refused filter keeps the last results on screen, its message under the filter box.
  const refused = !!filter && !!filterSyntaxError(runsQuery.error);
  const shown = useLastGood(runsQuery.data, refused, experimentId);
  const runs = useMemo(() => shown?.pages.flatMap((p) => p.items) ?? [], [shown]);
  const firstPage = shown?.pages[0]?.items ?? NO_RUNS;
  const tableRuns = useNestParents(experimentId, runs, state.nest && state.group === '', viewType);
  const arranged = useRunArrangement(state, setState, tableRuns);
  const loadedKeys = useMemo(() => collectKeys(runs), [runs]);
  // Keys of runs not loaded yet come from the server's registry; a failed request leaves the loaded ones.
  const registeredKeys = useExperimentKeys(experimentId).data;
  const keys = useMemo(() => mergeKeys(loadedKeys, registeredKeys), [loadedKeys, registeredKeys]);
  // Charts draw the runs the table shows (hidden ones left out), in its order.
  const chartRuns = useMemo(
    () => (state.showhidden ? runs : runs.filter((r) => !state.hide?.includes(r.info.run_id))),
    [runs, state.hide, state.showhidden],
  );
  // Without a layout in the URL (or the applied view), one chart per metric of the experiment.
  const derivedLayout = useMemo(() => state.charts ?? defaultChartLayout(keys.metrics), [state.charts, keys.metrics]);
  // Every page of runs recollects the keys: the same layout then keeps its identity, so the charts do not re-render.
  const chartLayout = useStableValue(derivedLayout, JSON.stringify(derivedLayout));
  const { columns, fixed, widths, onResize, onReorder } = useTableColumns(state, setState, firstPage, keys);
  const csvUrl = runsCsvUrl(experimentId, {
    filter,
    orderBy,
    viewType,
    // `col=*` may stand for thousands of keys: the server expands `*` itself.
    columns: [
      ...fixed.filter((c) => c !== 'run-tools'),
      ...(state.col?.includes(ALL_COLUMNS) ? [ALL_COLUMNS] : columns),
    ],
  });
  const selected = state.sel ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = runsQuery;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const breadcrumbs = (
    <div className="breadcrumbs">
      <Link to="/experiments">Experiments</Link> /
    </div>
  );
  // Its runs would come back as an empty list (searches leave out what the caller may not read).
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
        <WatchButton target={{ experiment_id: experimentId }} />
        <span className="muted" role="status">
          {runsQuery.data ? `${runs.length}${hasNextPage ? '+' : ''} runs` : ''}
        </span>
      </div>
      <ExperimentDescription experiment={experiment.data} />
      <ExperimentTabs experimentId={experimentId} current="runs" />
      <ErrorBox error={experiment.error} />
      <div className="toolbar">
        <FilterBox
          value={state.filter}
          onApply={(f) => setState({ filter: f })}
          keys={keys}
          error={filter ? runsQuery.error : undefined}
        />
        <SearchInput
          label="Run name contains"
          value={state.name}
          onCommit={(name) => setState({ name }, { replace: true })}
        />
        <StatusSelect value={state.status} onChange={(status) => setState({ status })} />
        <ColumnChooser
          keys={keys}
          chosen={columns}
          onChange={(col) => setState({ col }, { replace: true })}
          fixed={fixed}
          onFixed={(ids) => setState({ fixed: ids }, { replace: true })}
        />
        <ViewsMenu
          experimentId={experimentId}
          current={toViewState(state)}
          activeId={state.view}
          isUnchanged={(v) => sameAsView(state, v.state)}
          onApply={(v) => setState(viewPatch(v))}
          linkFor={(v) => hrefWith(window.location.pathname, experimentSpec, viewPatch(v))}
          onSaved={(v) => setState({ view: v.view_id }, { replace: true })}
        />
        <a
          className="button"
          href={csvUrl}
          download
          title="Every run matching the filter (all pages), with the columns shown"
        >
          Download CSV
        </a>
        <button
          type="button"
          className="primary"
          disabled={selected.length < 2}
          onClick={() =>
            navigate(
              hrefWith('/compare', compareSpec, {
                runs: selected,
                exp: experimentId,
                // Colours chosen here travel along, so each run keeps its colour on the compare page.
                color: state.color?.filter((c) => selected.some((id) => c.startsWith(`${id}:`))) ?? null,
              }),
            )
          }
          title={selected.length < 2 ? 'Select two or more runs' : undefined}
        >
          Compare {selected.length > 0 ? `(${selected.length})` : ''}
        </button>
      </div>
      <ArrangeBar
        keys={keys}
        groupBy={state.group}
        onGroupBy={(group) => setState({ group, fold: null })}
        hiddenCount={arranged.arrangement.hidden.length}
        showHidden={state.showhidden}
        onShowHidden={(showhidden) => setState({ showhidden }, { replace: true })}
        nest={state.nest}
        onNest={(nest) => setState({ nest, expand: null }, { replace: true })}
        live={live}
      />
      <BulkRunActions
        experimentId={experimentId}
        selected={selected}
        nameOf={(id) => {
          const run = runs.find((r) => r.info.run_id === id);
          return run ? runName(run) : id;
        }}
        showDeleted={state.deleted}
        onShowDeleted={(deleted) => setState({ deleted, sel: null })}
        onMoved={() => setState({ sel: null }, { replace: true })}
      />
      {filter ? (
        <p className="filter-preview">
          Filter sent: <code data-testid="sent-filter">{filter}</code>
        </p>
      ) : null}
      {/* A refused filter is shown under the filter box instead. */}
      <ErrorBox error={refused ? null : runsQuery.error} title="The search failed:" />
      {runs.length > 0 ? (
        <ChartsPanel
          runs={chartRuns}
          colors={arranged.runColors}
          layout={chartLayout}
          onChange={(charts) => setState({ charts }, { replace: true })}
        />
      ) : null}
      {runsQuery.isPending ? (
        <Loading label="Loading runs…" />
      ) : runs.length === 0 && !runsQuery.error ? (
        <Empty>{filter ? 'No run matches this filter.' : 'This experiment has no runs yet.'}</Empty>
      ) : runs.length > 0 ? (
        <RunsTable
          experimentId={experimentId}
          runs={tableRuns}
          columns={columns}
          fixedColumns={fixed}
          widths={widths}
          onResize={onResize}
          onReorder={onReorder}
          sort={state.sort}
          onSort={(sort) => setState({ sort })}
          selected={selected}
          onSelect={(sel) => setState({ sel }, { replace: true })}
          hasMore={!!hasNextPage}
          loadingMore={isFetchingNextPage}
          onLoadMore={loadMore}
          arrangement={arranged.arrangement}
          colors={arranged.runColors}
          actions={arranged.actions}
        />
      ) : null}
    </section>
  );
}

function StatusSelect({ value, onChange }: { value: string; onChange: (v: (typeof STATUSES)[number]) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Status</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as (typeof STATUSES)[number])}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s === '' ? 'Any' : s.charAt(0) + s.slice(1).toLowerCase()}
          </option>
        ))}
      </select>
    </div>
  );
}
