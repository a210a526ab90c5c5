import { useId, useState } from 'react';
import {
  assignExperiment,
  assignModel,
  deleteProject,
  unassignExperiment,
  unassignModel,
  updateProject,
} from '../../api/projects.ts';
import { Link, navigate } from '../../app/router.tsx';
import { SearchInput } from '../../components/inputs.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { nameFilter } from '../../lib/filter.ts';
import { latestError } from '../../lib/latest-error.ts';
import { useExperimentSearch } from '../experiments/queries.ts';
import { useModelSearch } from '../registry/queries.ts';
import { useProject, useProjectMutation } from './queries.ts';

/** One project: rename or delete it, and the experiments and registered models it groups. */
export default function ProjectPage({ projectId }: { projectId: string }) {
  const detail = useProject(projectId);
  const remove = useProjectMutation(() => deleteProject(projectId));
  const project = detail.data?.project;
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/projects">Projects</Link> /
      </div>
      <div className="page-header">
        <h1>{project?.name ?? `Project ${projectId}`}</h1>
        {project?.description ? <span className="muted">{project.description}</span> : null}
        {project ? (
          <Link to={`/experiments?project=${encodeURIComponent(projectId)}`} className="button">
            Show in experiments list
          </Link>
        ) : null}
      </div>
      <ErrorBox error={detail.error} title="Could not load the project." />
      {detail.isPending ? <Loading /> : null}
      {project ? (
        <>
          <RenameForm projectId={projectId} name={project.name} description={project.description ?? ''} />
          <ProjectExperiments projectId={projectId} experiments={detail.data?.experiments ?? []} />
          <ProjectModels projectId={projectId} models={detail.data?.registered_models ?? []} />
          <p>
            <button
              type="button"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete project “${project.name}”? Its experiments and models stay.`))
                  remove.mutate(undefined, { onSuccess: () => navigate('/projects') });
              }}
            >
              Delete project
            </button>
          </p>
          <ErrorBox error={remove.error} title="Could not delete the project:" />
        </>
      ) : null}
    </section>
  );
}

function RenameForm({ projectId, name, description }: { projectId: string; name: string; description: string }) {
  const id = useId();
  const [text, setText] = useState(name);
  const [desc, setDesc] = useState(description);
  const save = useProjectMutation(() => updateProject(projectId, { name: text.trim(), description: desc.trim() }));
  return (
    <form
      className="toolbar"
      aria-label="Rename the project"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-n`}>Name</label>
        <input id={`${id}-n`} value={text} onChange={(e) => setText(e.target.value)} required autoComplete="off" />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-d`}>Description</label>
        <input id={`${id}-d`} value={desc} onChange={(e) => setDesc(e.target.value)} autoComplete="off" />
      </div>
      <button
        type="submit"
        disabled={save.isPending || !text.trim() || (text.trim() === name && desc.trim() === description)}
      >
        Save
      </button>
      <ErrorBox error={save.error} title="Could not save:" />
    </form>
  );
}

/** A picker of things not yet in the project, and its submit button. */
/**
 * A picker of things to add. It lists the first page of the server's name search; `onSearch`
 * narrows that search, so any experiment or model can be found however many there are.
 */
function AddToProject({
  label,
  searchLabel,
  options,
  more,
  pending,
  onSearch,
  onAdd,
}: {
  label: string;
  searchLabel: string;
  options: { value: string; label: string }[];
  /** The search has further pages than the options listed. */
  more: boolean;
  pending: boolean;
  onSearch: (text: string) => void;
  onAdd: (value: string, done: () => void) => void;
}) {
  const id = useId();
  const [choice, setChoice] = useState('');
  const [search, setSearch] = useState('');
  // The search box sits outside the form: Enter in it must not add the chosen item.
  return (
    <div className="toolbar">
      <SearchInput
        label={searchLabel}
        value={search}
        placeholder="Name contains…"
        onCommit={(text) => {
          setSearch(text);
          setChoice('');
          onSearch(text);
        }}
      />
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (choice) onAdd(choice, () => setChoice(''));
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-add`}>{label}</label>
          <select id={`${id}-add`} value={choice} onChange={(e) => setChoice(e.target.value)}>
            <option value="">Choose…</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={!choice || pending}>
          Add to project
        </button>
      </form>
      {more ? <span className="muted">First {options.length} shown: narrow by name to find others.</span> : null}
    </div>
  );
}

function ProjectExperiments({
  projectId,
  experiments,
}: {
  projectId: string;
  experiments: { experiment_id: string; name: string; lifecycle_stage?: string }[];
}) {
  const id = useId();
  const [search, setSearch] = useState('');
  const all = useExperimentSearch(nameFilter(search), ['name ASC']);
  const inProject = new Set(experiments.map((e) => e.experiment_id));
  const candidates = (all.data?.pages.flatMap((p) => p.items) ?? []).filter((e) => !inProject.has(e.experiment_id));
  const add = useProjectMutation((expId: string) => assignExperiment(projectId, expId));
  const drop = useProjectMutation((expId: string) => unassignExperiment(projectId, expId));
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Experiments ({experiments.length})</h2>
      <AddToProject
        label="Add an experiment"
        searchLabel="Find experiments by name"
        options={candidates.map((e) => ({ value: e.experiment_id, label: e.name }))}
        more={all.hasNextPage}
        onSearch={setSearch}
        pending={add.isPending}
        onAdd={(value, done) => add.mutate(value, { onSuccess: done })}
      />
      <ErrorBox error={latestError(add, drop)} title="Could not change the project:" />
      {experiments.length === 0 ? (
        <Empty>No experiments in this project yet.</Empty>
      ) : (
        <table className="data" aria-label="Project experiments">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                ID
              </th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr key={e.experiment_id}>
                <td>
                  <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`}>{e.name}</Link>
                </td>
                <td className="num mono">{e.experiment_id}</td>
                <td>{e.lifecycle_stage === 'deleted' ? 'deleted' : 'active'}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => drop.mutate(e.experiment_id)}
                    aria-label={`Remove ${e.name} from the project`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ProjectModels({ projectId, models }: { projectId: string; models: { name: string; description?: string }[] }) {
  const id = useId();
  const [search, setSearch] = useState('');
  const all = useModelSearch(nameFilter(search));
  const inProject = new Set(models.map((m) => m.name));
  const candidates = (all.data?.pages.flatMap((p) => p.items) ?? []).filter((m) => !inProject.has(m.name));
  const add = useProjectMutation((name: string) => assignModel(projectId, name));
  const drop = useProjectMutation((name: string) => unassignModel(projectId, name));
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Registered models ({models.length})</h2>
      <AddToProject
        label="Add a registered model"
        searchLabel="Find registered models by name"
        options={candidates.map((m) => ({ value: m.name, label: m.name }))}
        more={all.hasNextPage}
        onSearch={setSearch}
        pending={add.isPending}
        onAdd={(value, done) => add.mutate(value, { onSuccess: done })}
      />
      <ErrorBox error={latestError(add, drop)} title="Could not change the project:" />
      {models.length === 0 ? (
        <Empty>No registered models in this project yet.</Empty>
      ) : (
        <ul className="plain-list" aria-label="Project models">
          {models.map((m) => (
            <li key={m.name}>
              <Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
              {m.description ? <span className="muted"> — {m.description}</span> : null}{' '}
              <button
                type="button"
                onClick={() => drop.mutate(m.name)}
                aria-label={`Remove ${m.name} from the project`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
