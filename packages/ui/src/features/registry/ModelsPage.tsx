import { Link, useUrlState } from '../../app/router.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { nameFilter } from '../../lib/filter.ts';
import { formatTime } from '../../lib/format.ts';
import { flag, str } from '../../lib/url-state.ts';
import { CreateModelForm } from './CreateModelForm.tsx';
import { modelHref, useModelSearch } from './queries.ts';

const spec = { q: str(), create: flag() };

/** Registered models, searchable by name, with their latest version per stage and their aliases. */
export default function ModelsPage() {
  const [state, setState] = useUrlState(spec);
  const query = useModelSearch(nameFilter(state.q));
  const models = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page">
      <div className="page-header">
        <h1>Registered models</h1>
        {state.create ? null : (
          <button type="button" onClick={() => setState({ create: true })}>
            New model
          </button>
        )}
      </div>
      {state.create ? <CreateModelForm onCancel={() => setState({ create: false })} /> : null}
      <div className="toolbar">
        <SearchInput
          label="Search models by name"
          value={state.q}
          onCommit={(q) => setState({ q }, { replace: true })}
          className="grow"
        />
      </div>
      <ErrorBox error={query.error} title="Could not load models." />
      {query.isPending ? (
        <Loading />
      ) : models.length === 0 ? (
        <Empty>{state.q ? `No model name contains “${state.q}”.` : 'No registered models yet.'}</Empty>
      ) : (
        <table className="data" aria-label="Registered models">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Latest versions</th>
              <th scope="col">Aliases</th>
              <th scope="col">Last modified</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.name}>
                <td>
                  <Link to={modelHref(m.name)}>{m.name}</Link>
                </td>
                <td>
                  {(m.latest_versions ?? []).map((v) => (
                    <span key={v.version} className="chip">
                      v{v.version}
                      {v.current_stage && v.current_stage !== 'None' ? ` · ${v.current_stage}` : ''}
                    </span>
                  ))}
                </td>
                <td>
                  {(m.aliases ?? []).map((a) => (
                    <span key={a.alias} className="chip">
                      @{a.alias} → v{a.version}
                    </span>
                  ))}
                </td>
                <td>{formatTime(m.last_updated_timestamp)}</td>
                <td className="muted">{(m.description ?? '').slice(0, 120)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.hasNextPage ? (
        <p>
          <button type="button" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            Load more
          </button>
        </p>
      ) : null}
    </section>
  );
}
