import { useQueryClient } from '@tanstack/react-query';
import { deleteModelVersion, deleteVersionTag, setVersionTag, updateVersionDescription } from '../../api/registry.ts';
import type { VersionPage as VersionData } from '../../api/trove.ts';
import { Link, navigate } from '../../app/router.tsx';
import { DescriptionEditor } from '../../components/DescriptionEditor.tsx';
import { MlModelView } from '../../components/MlModelView.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { formatTime } from '../../lib/format.ts';
import { lineageHref } from '../../lib/lineage-href.ts';
import { CommentThread } from './CommentThread.tsx';
import { ConfirmDelete } from './ConfirmDelete.tsx';
import { invalidateModel, modelHref, useLiveModel, useVersionPage } from './queries.ts';
import { StageAliasControls } from './StageAliasControls.tsx';
import { TagEditor } from './TagEditor.tsx';
import { VersionHistory } from './VersionHistory.tsx';
import './registry.css';

/** One model version: lineage (dataset → run → version → stage/aliases), its MLmodel, and its comment thread. */
export default function VersionPage({ name, version }: { name: string; version: string }) {
  const page = useVersionPage(name, version);
  useLiveModel(name);
  const qc = useQueryClient();
  const changed = () => invalidateModel(qc, name);
  const user = useCurrentUser();
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
      <h2>Description</h2>
      <DescriptionEditor
        label="Version description"
        canEdit={user !== ''}
        value={mv.description ?? ''}
        onSave={(text) => updateVersionDescription(name, mv.version, text).then(changed)}
      />
      <h2>Lineage</h2>
      <Lineage data={d} />
      <p>
        <Link to={lineageHref(`model_version:${name}/${mv.version}`)} data-testid="lineage-link">
          Lineage graph
        </Link>
      </p>
      <h2>How this version was made</h2>
      <VersionHistory name={name} version={mv.version} />
      <h2>Stage and aliases</h2>
      <StageAliasControls name={name} version={mv} />
      <h2>Tags</h2>
      <TagEditor
        label="Version tags"
        tags={mv.tags ?? []}
        onSet={(t) => setVersionTag(name, mv.version, t.key, t.value).then(changed)}
        onDelete={(key) => deleteVersionTag(name, mv.version, key).then(changed)}
      />
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
      <h2>Delete</h2>
      <ConfirmDelete
        label="Delete version"
        title={`Delete ${name} v${mv.version}?`}
        onDelete={async () => {
          await deleteModelVersion(name, mv.version);
          navigate(modelHref(name));
          changed();
        }}
      >
        <p>The version, its tags and aliases go; the run and its artifacts stay. This cannot be undone.</p>
      </ConfirmDelete>
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
