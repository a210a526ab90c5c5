import { useId, useState } from 'react';
import { createProject } from '../../api/projects.ts';
import { Link, navigate } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { useProjectMutation, useProjects } from './queries.ts';

/** The workspace's projects, each with its experiment and model counts, and a form to create one. */
export default function ProjectsPage() {
  const projects = useProjects();
  const list = projects.data ?? [];
  return (
    <section className="page">
      <div className="page-header">
        <h1>Projects</h1>
        {projects.data ? <span className="muted">{list.length} in this workspace</span> : null}
      </div>
      <CreateProjectForm />
      <ErrorBox error={projects.error} title="Could not load projects." />
      {projects.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No projects yet. A project groups experiments and registered models.</Empty>
      ) : (
        <table className="data" aria-label="Projects">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Experiments
              </th>
              <th scope="col" className="num">
                Models
              </th>
              <th scope="col">Last updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.project_id}>
                <td>
                  <Link to={`/projects/${p.project_id}`}>{p.name}</Link>
                </td>
                <td>{p.description ?? ''}</td>
                <td className="num">{p.experiment_count}</td>
                <td className="num">{p.model_count}</td>
                <td>{formatTime(p.last_updated_timestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateProjectForm() {
  const id = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useProjectMutation((a: { name: string; description: string }) => createProject(a.name, a.description));
  return (
    <form
      className="toolbar"
      aria-label="Create a project"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { name: name.trim(), description: description.trim() },
          { onSuccess: (p) => navigate(`/projects/${(p as { project_id: string }).project_id}`) },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>New project name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-desc`}>Description (optional)</label>
        <input
          id={`${id}-desc`}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          autoComplete="off"
        />
      </div>
      <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
        Create project
      </button>
      <ErrorBox error={create.error} title="Could not create the project:" />
    </form>
  );
}
