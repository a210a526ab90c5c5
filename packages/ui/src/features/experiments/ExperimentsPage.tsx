import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { restoreExperiment } from '../../api/experiments.ts';
import type { Experiment } from '../../api/types.ts';
import { hrefWith, Link, useUrlState } from '../../app/router.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { SortHeader } from '../../components/SortHeader.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { UndoToast } from '../../components/UndoToast.tsx';
import { experimentFilter } from '../../lib/experiment-filter.ts';
import { flag, list, sortList, str } from '../../lib/url-state.ts';
import { ProjectFilter, useProjectExperiments } from '../projects/ProjectFilter.tsx';
import { CreateExperimentForm } from './CreateExperimentForm.tsx';
import { compareExperimentsSpec } from './compare-experiments-state.ts';
import { ExperimentRow } from './ExperimentRow.tsx';
import { useExperimentSearch } from './queries.ts';

const spec = {
  q: str(),
  project: str(),
  sort: sortList([{ id: 'name', desc: false }]),
  tag: str(),
  deleted: flag(),
  sel: list(),
};
const SORTABLE = {
  name: 'Name',
  experiment_id: 'ID',
  creation_time: 'Created',
  last_update_time: 'Last updated',
} as const;

/** All experiments of the workspace, searchable by name, sortable by any column. */
export default function ExperimentsPage() {
  const [state, setState] = useUrlState(spec);
  const [deleted, setDeleted] = useState<Experiment>();
  const client = useQueryClient();
  const sort = state.sort[0] ?? { id: 'name', desc: false };
  const orderBy = [`${sort.id} ${sort.desc ? 'DESC' : 'ASC'}`];
  const search = useExperimentSearch(
    experimentFilter(state.q, state.tag),
    orderBy,
    !state.project,
    state.deleted ? 'ALL' : 'ACTIVE_ONLY',
  );
  // With a project chosen, its member list (complete, small) replaces the paged search.
  const inProject = useProjectExperiments(state.project, state.q, sort);
  const query = state.project ? inProject : search;
  const experiments = (state.project ? inProject.items : search.data?.pages.flatMap((p) => p.items)) ?? [];
  const selected = state.sel ?? [];
  const select = (id: string, on: boolean) =>
    setState({ sel: on ? [...selected, id] : selected.filter((s) => s !== id) }, { replace: true });
  const onSort = (id: string) => setState({ sort: [{ id, desc: sort.id === id ? !sort.desc : id !== 'name' }] });
  return (
    <section className="page">
      <div className="page-header">
        <h1>Experiments</h1>
        {query.data ? (
          <span className="muted">{experiments.length + (!state.project && search.hasNextPage ? '+' : '')} shown</span>
        ) : null}
      </div>
      <CreateExperimentForm />
      <div className="toolbar">
        <SearchInput
          label="Search experiments by name"
          value={state.q}
          onCommit={(q) => setState({ q }, { replace: true })}
          placeholder="e.g. resnet"
          className="grow"
        />
        <SearchInput
          label="Filter by tag (key or key=value)"
          value={state.tag}
          onCommit={(tag) => setState({ tag }, { replace: true })}
          placeholder="e.g. team=vision"
        />
        <label className="check">
          <input type="checkbox" checked={state.deleted} onChange={(e) => setState({ deleted: e.target.checked })} />
          Show deleted experiments
        </label>
        <ProjectFilter value={state.project} onChange={(project) => setState({ project })} />
        {selected.length >= 2 ? (
          <Link
            className="button primary"
            to={hrefWith('/compare-experiments', compareExperimentsSpec, { exp: selected })}
          >
            Compare {selected.length} experiments
          </Link>
        ) : (
          <span className="muted">Select experiments to compare their runs.</span>
        )}
      </div>
      <ErrorBox error={query.error} title="Could not load experiments." />
      {query.isPending ? (
        <Loading />
      ) : experiments.length === 0 ? (
        <Empty>
          {state.q || state.tag
            ? 'No experiment matches these filters.'
            : 'No experiments yet. Create one above or log a run with any MLflow client.'}
        </Empty>
      ) : (
        <table className="data" aria-label="Experiments">
          <thead>
            <tr>
              {(Object.keys(SORTABLE) as (keyof typeof SORTABLE)[]).map((id) => (
                <SortHeader
                  key={id}
                  label={SORTABLE[id]}
                  sort={sort.id === id ? (sort.desc ? 'desc' : 'asc') : null}
                  onSort={() => onSort(id)}
                  className={id === 'experiment_id' ? 'num' : undefined}
                />
              ))}
              <th scope="col">Tags</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <ExperimentRow
                key={e.experiment_id}
                experiment={e}
                columns={Object.keys(SORTABLE).length + 2}
                selected={selected.includes(e.experiment_id)}
                onSelect={(on) => select(e.experiment_id, on)}
                onDeleted={setDeleted}
              />
            ))}
          </tbody>
        </table>
      )}
      {!state.project && search.hasNextPage ? (
        <p>
          <button type="button" onClick={() => search.fetchNextPage()} disabled={search.isFetchingNextPage}>
            {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
      {deleted ? (
        <UndoToast
          key={deleted.experiment_id}
          message={`Deleted experiment “${deleted.name}”`}
          undo={async () => {
            await restoreExperiment(deleted.experiment_id);
            await client.invalidateQueries({ queryKey: ['experiments'] });
            await client.invalidateQueries({ queryKey: ['experiment', deleted.experiment_id] });
          }}
          onClose={() => setDeleted(undefined)}
        />
      ) : null}
    </section>
  );
}
