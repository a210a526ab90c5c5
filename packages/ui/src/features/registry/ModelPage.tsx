import { useQueryClient } from '@tanstack/react-query';
import { deleteModelTag, deleteRegisteredModel, setModelTag, updateModelDescription } from '../../api/registry.ts';
import { Link, navigate } from '../../app/router.tsx';
import { DescriptionEditor } from '../../components/DescriptionEditor.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { formatTime } from '../../lib/format.ts';
import { WatchButton } from '../notifications/WatchButton.tsx';
import { ConfirmDelete } from './ConfirmDelete.tsx';
import { DeploymentsTable } from './DeploymentsTable.tsx';
import { invalidateModel, useLiveModel, useModel, useModelVersions } from './queries.ts';
import { RegisterVersion } from './RegisterVersion.tsx';
import { ActivityLog, PendingRequests, PolicyEditor, RequestForm } from './ReviewPanel.tsx';
import { TagEditor } from './TagEditor.tsx';
import { VersionsTable } from './VersionsTable.tsx';

/** One registered model: description, aliases, tags and every version with its stage and aliases. */
export default function ModelPage({ name }: { name: string }) {
  const model = useModel(name);
  const versions = useModelVersions(name);
  useLiveModel(name);
  const qc = useQueryClient();
  const changed = () => invalidateModel(qc, name);
  const user = useCurrentUser();
  if (model.isPending) return <Loading label="Loading model…" />;
  if (!model.data) {
    return (
      <section className="page">
        <ErrorBox error={model.error} title="Could not load the model." />
      </section>
    );
  }
  const m = model.data;
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/models">Registered models</Link> /
      </div>
      <div className="page-header">
        <h1>{m.name}</h1>
        <WatchButton target={{ name: m.name }} />
        <span className="muted">
          created {formatTime(m.creation_timestamp)} · updated {formatTime(m.last_updated_timestamp)}
        </span>
      </div>
      <div className="button-row">
        <RegisterVersion label="Register a version" model={m.name} />
      </div>
      <h2>Description</h2>
      <DescriptionEditor
        label="Model description"
        canEdit={user !== ''}
        value={m.description ?? ''}
        onSave={(text) => updateModelDescription(m.name, text).then(changed)}
      />
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
        <VersionsTable name={name} versions={versions.data ?? []} />
      )}
      <h2>Deployments</h2>
      <DeploymentsTable name={name} />
      <h2>Review requests</h2>
      <PendingRequests name={name} />
      <h2>Request a change</h2>
      <RequestForm name={name} versions={versions.data ?? []} />
      <h2>Review policy</h2>
      <PolicyEditor name={name} />
      <h2>Activity</h2>
      <ActivityLog name={name} />
      <h2>Tags</h2>
      <TagEditor
        label="Model tags"
        tags={m.tags ?? []}
        onSet={(t) => setModelTag(m.name, t.key, t.value).then(changed)}
        onDelete={(key) => deleteModelTag(m.name, key).then(changed)}
      />
      <h2>Delete</h2>
      <ConfirmDelete
        label="Delete model"
        title={`Delete ${m.name}?`}
        typeToConfirm={m.name}
        onDelete={async () => {
          await deleteRegisteredModel(m.name);
          navigate('/models');
          changed();
        }}
      >
        <p>
          The model and its {(versions.data ?? []).length} version(s), their tags, aliases, review requests and comments
          are deleted. Runs and their artifacts stay. This cannot be undone.
        </p>
      </ConfirmDelete>
    </section>
  );
}
