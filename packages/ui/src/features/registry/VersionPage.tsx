import type { VersionPage as VersionData } from '../../api/trove.ts';
import { Link } from '../../app/router.tsx';
import { MlModelView } from '../../components/MlModelView.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { CommentThread } from './CommentThread.tsx';
import { modelHref } from './ModelsPage.tsx';
import { useVersionPage } from './queries.ts';

/** One model version: lineage (dataset → run → version → stage/aliases), its MLmodel, and its comment thread. */
export default function VersionPage({ name, version }: { name: string; version: string }) {
  const page = useVersionPage(name, version);
  if (page.isPending) return <Loading label="Loading model version…" />;
  if (!page.data) {
    return (
      <section className="page">
        <ErrorBox error={page.error} title="Could not load the model version." />
      </section>
    );
  }
  const d = page.data;
  const mv = d.model_version;
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/models">Registered models</Link> / <Link to={modelHref(name)}>{name}</Link> /
      </div>
      <div className="page-header">
        <h1>
          {name} v{mv.version}
        </h1>
        <span className="muted">
          registered {formatTime(mv.creation_timestamp)}
          {mv.user_id ? ` by ${mv.user_id}` : ''} · status {mv.status ?? 'READY'}
        </span>
      </div>
      {mv.description ? <p style={{ whiteSpace: 'pre-wrap' }}>{mv.description}</p> : null}
      <h2>Lineage</h2>
      <Lineage data={d} />
      <h2>Model</h2>
      <MlModelView
        modelUri={`models:/${name}/${mv.version}`}
        info={d.mlmodel}
        example={d.input_example}
        error={d.mlmodel_error}
        missing={`No MLmodel file found on this server for this version${mv.source ? ` (source ${mv.source})` : ''}: flavors and signature are shown when the model's files are stored here.`}
      />
      <h2 id="comments-heading">Comments</h2>
      <CommentThread name={name} version={mv.version} />
    </section>
  );
}

function Lineage({ data }: { data: VersionData }) {
  const l = data.lineage;
  const run = l.run;
  return (
    <ol className="lineage" aria-label="Lineage">
      <li className="lineage-node" data-node="datasets">
        <span className="lineage-kind">Datasets</span>
        {l.datasets.length === 0 ? (
          <span className="muted">none logged</span>
        ) : (
          l.datasets.map((ds) => (
            <span key={`${ds.name}@${ds.digest}`} className="lineage-item">
              {ds.name} <span className="mono muted">#{ds.digest}</span>
              {ds.context ? <span className="chip">{ds.context}</span> : null}
            </span>
          ))
        )}
      </li>
      <li className="lineage-node" data-node="run">
        <span className="lineage-kind">Run</span>
        {run ? (
          <Link to={`/experiments/${run.experiment_id}/runs/${run.run_id}`}>
            {run.run_name || run.run_id.slice(0, 8)}
          </Link>
        ) : (
          <span className="muted">{data.model_version.source ?? 'no run'}</span>
        )}
        {l.logged_model_id ? <span className="mono muted">model {l.logged_model_id}</span> : null}
      </li>
      <li className="lineage-node" data-node="version">
        <span className="lineage-kind">Version</span>
        <span>
          {l.model_version.name} v{l.model_version.version}
        </span>
      </li>
      <li className="lineage-node" data-node="deployment">
        <span className="lineage-kind">Stage &amp; aliases</span>
        <span>
          {l.stage && l.stage !== 'None' ? (
            <span className="badge">{l.stage}</span>
          ) : (
            <span className="muted">no stage</span>
          )}
        </span>
        <span>
          {l.aliases.map((a) => (
            <span key={a} className="chip" data-alias={a}>
              @{a}
            </span>
          ))}
        </span>
      </li>
    </ol>
  );
}
