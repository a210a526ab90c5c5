import { useId } from 'react';
import { navigate, useLocation } from '../app/router.tsx';
import { useWorkspaces } from '../features/projects/queries.ts';
import { workspacePath } from '../lib/workspace-path.ts';

/** Picks the workspace; the choice is the `/workspaces/<name>` prefix of the address, so links carry it. */
export function WorkspaceSwitcher() {
  const id = useId();
  const { workspace } = useLocation();
  const workspaces = useWorkspaces();
  const names = workspaces.data?.map((w) => w.name) ?? [];
  if (!names.includes(workspace)) names.unshift(workspace);
  return (
    <div className="workspace-switcher">
      <label htmlFor={id}>Workspace</label>
      <select
        id={id}
        value={workspace}
        onChange={(e) => navigate(workspacePath(e.target.value, '/experiments'), { raw: true })}
      >
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
