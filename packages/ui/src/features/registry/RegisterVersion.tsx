import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { getRegisteredModel, getRun, listArtifacts, searchRegisteredModels } from '../../api/mlflow.ts';
import { searchNames } from '../../api/projects.ts';
import { createModelVersion, createRegisteredModel } from '../../api/registry.ts';
import { navigate } from '../../app/router.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { nameFilter } from '../../lib/filter.ts';
import { findModelFolders, runModelSource } from './model-folders.ts';
import { invalidateModel, versionHref } from './queries.ts';
import '../../components/dialogs.css';
import './registry.css';

interface Props {
  /** The button's text: "Register model" on a run, "Register a version" on a model. */
  label: string;
  /** Fixed when opened from a model's page. */
  model?: string;
  /** Fixed when opened from a run's page. */
  runId?: string;
  /** The artifact folder to start with (the folder of the MLmodel the user is looking at). */
  folder?: string;
}

/**
 * Registers a model logged in a run as a new version: pick the run, pick its model folder (those
 * holding an `MLmodel`), pick an existing model or name a new one. The version's source is
 * `runs:/<run_id>/<folder>`, as MLflow's `register_model` writes it.
 */
export function RegisterVersion({ label, model, runId, folder }: Props) {
  const user = useCurrentUser();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={!user}>
        {label}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="confirm-dialog wide-dialog"
        onClose={() => setOpen(false)}
      >
        {open ? (
          <RegisterForm titleId={titleId} model={model} runId={runId} folder={folder} onCancel={() => setOpen(false)} />
        ) : null}
      </dialog>
    </>
  );
}

function RegisterForm({
  titleId,
  model,
  runId: fixedRun,
  folder: startFolder,
  onCancel,
}: Omit<Props, 'label'> & { titleId: string; onCancel: () => void }) {
  const qc = useQueryClient();
  const [runId, setRunId] = useState(fixedRun ?? '');
  const [folder, setFolder] = useState<string | null>(startFolder ?? null);
  const [modelName, setModelName] = useState(model ?? '');
  const register = useMutation({
    mutationFn: async () => {
      const name = modelName.trim();
      if (!model) {
        const exists = await getRegisteredModel(name).then(
          () => true,
          (e) => (e instanceof ApiError && e.code === 'RESOURCE_DOES_NOT_EXIST' ? false : Promise.reject(e)),
        );
        if (!exists) await createRegisteredModel(name, '', []);
      }
      return createModelVersion({ name, source: runModelSource(runId, folder ?? ''), run_id: runId });
    },
    onSuccess: (mv) => {
      invalidateModel(qc, mv.name);
      navigate(versionHref(mv.name, mv.version));
    },
  });
  const ready = !!runId && folder !== null && !!modelName.trim() && !register.isPending;
  return (
    <form
      aria-labelledby={titleId}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) register.mutate();
      }}
    >
      <h2 id={titleId}>{model ? `Register a version of ${model}` : 'Register a model from this run'}</h2>
      {fixedRun ? null : (
        <RunPicker
          runId={runId}
          onPick={(id) => {
            setRunId(id);
            setFolder(null);
          }}
        />
      )}
      {runId ? <FolderPicker runId={runId} folder={folder} onPick={setFolder} /> : null}
      {model ? null : <ModelNameField value={modelName} onChange={setModelName} />}
      {runId && folder !== null ? (
        <p className="muted">
          Source <code>{runModelSource(runId, folder)}</code>
        </p>
      ) : null}
      <ErrorBox error={register.error} title="Could not register the version." />
      <div className="button-row">
        <button type="submit" className="primary" disabled={!ready}>
          Register version
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const RUN_ID = /^[0-9a-f]{32}$/i;

/** Finds a run by (part of) its name, or by its full id. */
function RunPicker({ runId, onPick }: { runId: string; onPick: (runId: string) => void }) {
  const [q, setQ] = useState('');
  const id = useId();
  const text = q.trim();
  const found = useQuery({
    queryKey: ['register-run-search', text],
    enabled: text.length > 0,
    queryFn: async ({ signal }) => {
      if (RUN_ID.test(text)) {
        const run = await getRun(text, signal);
        return [{ run_id: run.info.run_id, run_name: run.info.run_name ?? '', experiment_name: '' }];
      }
      return (await searchNames(text, signal)).runs;
    },
  });
  return (
    <div className="field">
      <label htmlFor={id}>Run name or ID</label>
      <input
        id={id}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="trial-00/child-4"
        autoComplete="off"
      />
      <ErrorBox error={found.error} />
      {found.data ? (
        found.data.length === 0 ? (
          <p className="muted">No run matches.</p>
        ) : (
          <ul className="pick-list" aria-label="Matching runs">
            {found.data.map((r) => (
              <li key={r.run_id}>
                <button type="button" aria-pressed={r.run_id === runId} onClick={() => onPick(r.run_id)}>
                  {r.run_name || r.run_id} <span className="muted">{r.experiment_name}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

/** The run's folders holding an `MLmodel`; a typed path when there are none. */
function FolderPicker({
  runId,
  folder,
  onPick,
}: {
  runId: string;
  folder: string | null;
  onPick: (folder: string | null) => void;
}) {
  const id = useId();
  const found = useQuery({
    queryKey: ['model-folders', runId],
    queryFn: ({ signal }) => findModelFolders((dir) => listArtifacts(runId, dir, signal)),
    staleTime: 60_000,
  });
  const folders = found.data?.folders ?? [];
  useEffect(() => {
    if (folder === null && folders.length > 0) onPick(folders[0]);
  }, [folder, folders, onPick]);
  if (found.isPending) return <Loading label="Looking for models in the run's artifacts…" />;
  if (found.error) return <ErrorBox error={found.error} />;
  if (folders.length === 0)
    return (
      <div className="field">
        <label htmlFor={id}>Model path in the run's artifacts</label>
        <input
          id={id}
          value={folder ?? ''}
          onChange={(e) => onPick(e.target.value.trim() || null)}
          placeholder="model"
        />
        <p className="muted">
          No folder with an MLmodel file {found.data?.partial ? 'in the folders searched' : 'in this run'}: type the
          path.
        </p>
      </div>
    );
  return (
    <div className="field">
      <label htmlFor={id}>Model folder</label>
      <select id={id} value={folder ?? ''} onChange={(e) => onPick(e.target.value)}>
        {folders.map((f) => (
          <option key={f} value={f}>
            {f || '(artifact root)'}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An existing model's name (suggested as the user types) or a new one. */
function ModelNameField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  const listId = useId();
  const text = value.trim();
  const models = useQuery({
    queryKey: ['registered-models', nameFilter(text), 'suggest'],
    queryFn: ({ signal }) => searchRegisteredModels({ filter: nameFilter(text), maxResults: 20 }, signal),
  });
  const names = (models.data?.items ?? []).map((m) => m.name);
  return (
    <div className="field">
      <label htmlFor={id}>Registered model</label>
      <input id={id} list={listId} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
      <datalist id={listId}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {text ? (
        <p className="muted" role="status">
          {names.includes(text) ? `Adds a new version to ${text}.` : `Creates the model ${text} with version 1.`}
        </p>
      ) : null}
    </div>
  );
}
