import { useId } from 'react';
import type { Experiment } from '../../api/types.ts';
import { useProject, useProjects } from './queries.ts';

/** A select narrowing a list to one project's members (`project=<id>` in the URL). */
export function ProjectFilter({ value, onChange }: { value: string; onChange: (projectId: string) => void }) {
  const id = useId();
  const projects = useProjects();
  return (
    <div className="field">
      <label htmlFor={id}>Project</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All experiments</option>
        {(projects.data ?? []).map((p) => (
          <option key={p.project_id} value={p.project_id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

type SortKey = 'name' | 'experiment_id' | 'creation_time' | 'last_update_time';

/** A project's active experiments whose name contains `q` (case-insensitive), sorted as the list asks. */
export function useProjectExperiments(projectId: string, q: string, sort: { id: string; desc: boolean }) {
  const detail = useProject(projectId || undefined);
  const needle = q.trim().toLowerCase();
  const key = sort.id as SortKey;
  const items = detail.data?.experiments
    .filter((e) => e.lifecycle_stage !== 'deleted' && (!needle || e.name.toLowerCase().includes(needle)))
    .sort((a, b) => compare(a, b, key) * (sort.desc ? -1 : 1));
  return { data: detail.data, items, error: detail.error, isPending: detail.isPending };
}

function compare(a: Experiment, b: Experiment, key: SortKey): number {
  if (key === 'experiment_id') return Number(a.experiment_id) - Number(b.experiment_id);
  if (key === 'name') return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return (a[key] ?? 0) - (b[key] ?? 0);
}
