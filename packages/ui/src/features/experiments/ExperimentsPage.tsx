import { Link, useUrlState } from '../../app/router.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { SortHeader } from '../../components/SortHeader.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { nameFilter } from '../../lib/filter.ts';
import { formatTime } from '../../lib/format.ts';
import { sortList, str } from '../../lib/url-state.ts';
import { ProjectFilter, useProjectExperiments } from '../projects/ProjectFilter.tsx';
import { useExperimentSearch } from './queries.ts';

const spec = { q: str(), project: str(), sort: sortList([{ id: 'name', desc: false }]) };
const SORTABLE = { name: 'Name', experiment_id: 'ID', creation_time: 'Created', last_update_time: 'Last updated' } as const;

/** All experiments of the workspace, searchable by name, sortable by any column. */
export default function ExperimentsPage() {
  const [state, setState] = useUrlState(spec);
  const sort = state.sort[0] ?? { id: 'name', desc: false };
  const orderBy = [`${sort.id} ${sort.desc ? 'DESC' : 'ASC'}`];
  const search = useExperimentSearch(nameFilter(state.q), orderBy, !state.project);
  // With a project chosen, its member list (complete, small) replaces the paged search.
  const inProject = useProjectExperiments(state.project, state.q, sort);
  const query = state.project ? inProject : search;
  const experiments = (state.project ? inProject.items : search.data?.pages.flatMap((p) => p.items)) ?? [];
  const onSort = (id: string) => setState({ sort: [{ id, desc: sort.id === id ? !sort.desc : id !== 'name' }] });
  return (
    <section className="page">
      <div className="page-header">
        <h1>Experiments</h1>
        {query.data ? <span className="muted">{experiments.length + (!state.project && search.hasNextPage ? '+' : '')} shown</span> : null}
      </div>
      <div className="toolbar">
        <SearchInput label="Search experiments by name" value={state.q} onCommit={(q) => setState({ q }, { replace: true })} placeholder="e.g. resnet" className="grow" />
        <ProjectFilter value={state.project} onChange={(project) => setState({ project })} />
      </div>
      <ErrorBox error={query.error} title="Could not load experiments." />
      {query.isPending ? (
        <Loading />
      ) : experiments.length === 0 ? (
        <Empty>{state.q ? `No experiment name contains “${state.q}”.` : 'No experiments yet. Log a run with any MLflow client to create one.'}</Empty>
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
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr key={e.experiment_id}>
                <td>
                  <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`}>{e.name}</Link>
                </td>
                <td className="num mono">{e.experiment_id}</td>
                <td>{formatTime(e.creation_time)}</td>
                <td>{formatTime(e.last_update_time)}</td>
                <td>
                  {(e.tags ?? [])
                    .filter((t) => !t.key.startsWith('mlflow.'))
                    .slice(0, 4)
                    .map((t) => (
                      <span key={t.key} className="chip" title={`${t.key}=${t.value}`}>
                        {t.key}={t.value}
                      </span>
                    ))}
                </td>
              </tr>
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
    </section>
  );
}
