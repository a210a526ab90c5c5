import { Link } from '../../app/router.tsx';
import { KeyValueTable } from '../../components/KeyValueTable.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { useModel, useModelVersions, versionHref } from './queries.ts';
import { ActivityLog, PendingRequests, PolicyEditor, RequestForm } from './ReviewPanel.tsx';

/** One registered model: description, aliases, tags and every version with its stage and aliases. */
export default function ModelPage({ name }: { name: string }) {
  const model = useModel(name);
  const versions = useModelVersions(name);
  if (model.isPending) return <Loading label="Loading model…" />;
  if (!model.data) {
    return (
      <section className="page">
        <ErrorBox error={model.error} title="Could not load the model." />
      </section>
    );
  }
  const m = model.data;
  const tags = (m.tags ?? []).filter((t) => !t.key.startsWith('mlflow.'));
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/models">Registered models</Link> /
      </div>
      <div className="page-header">
        <h1>{m.name}</h1>
        <span className="muted">
          created {formatTime(m.creation_timestamp)} · updated {formatTime(m.last_updated_timestamp)}
        </span>
      </div>
      <h2>Description</h2>
      {m.description ? (
        <p style={{ whiteSpace: 'pre-wrap' }}>{m.description}</p>
      ) : (
        <p className="muted">No description.</p>
      )}
      <h2>Aliases</h2>
      {(m.aliases ?? []).length === 0 ? (
        <p className="muted">No aliases.</p>
      ) : (
        <p>
          {(m.aliases ?? []).map((a) => (
            <span key={a.alias} className="chip" data-alias={a.alias}>
              @{a.alias} → v{a.version}
            </span>
          ))}
        </p>
      )}
      <h2>Versions</h2>
      <ErrorBox error={versions.error} />
      {versions.isPending ? (
        <Loading />
      ) : (versions.data ?? []).length === 0 ? (
        <Empty>No versions.</Empty>
      ) : (
        <table className="data" aria-label="Model versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Stage</th>
              <th scope="col">Aliases</th>
              <th scope="col">Registered</th>
              <th scope="col">Source run</th>
              <th scope="col">Status</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {(versions.data ?? []).map((v) => (
              <tr key={v.version} data-version={v.version}>
                <td>
                  <Link to={versionHref(name, v.version)} aria-label={`Version ${v.version}`}>
                    v{v.version}
                  </Link>
                </td>
                <td>{v.current_stage ?? 'None'}</td>
                <td>
                  {(v.aliases ?? []).map((a) => (
                    <span key={a} className="chip">
                      @{a}
                    </span>
                  ))}
                </td>
                <td>{formatTime(v.creation_timestamp)}</td>
                <td>
                  {v.run_id ? (
                    <Link to={`/runs/${v.run_id}`}>{v.run_id.slice(0, 8)}</Link>
                  ) : (
                    <span className="muted mono">{v.source}</span>
                  )}
                </td>
                <td>{v.status ?? ''}</td>
                <td className="muted">{v.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Review requests</h2>
      <PendingRequests name={name} />
      <h2>Request a change</h2>
      <RequestForm name={name} versions={versions.data ?? []} />
      <h2>Review policy</h2>
      <PolicyEditor name={name} />
      <h2>Activity</h2>
      <ActivityLog name={name} />
      <h2>Tags</h2>
      {tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <KeyValueTable
          label="Model tags"
          rows={tags.map(
            (t) =>
              [
                <span key="k" className="mono">
                  {t.key}
                </span>,
                t.value,
              ] as const,
          )}
        />
      )}
    </section>
  );
}
