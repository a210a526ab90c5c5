import { useId, useState } from 'react';
import { createToken, ROLES, type Role } from '../../api/identity.ts';
import { ErrorBox } from '../../components/status.tsx';
import { useWorkspaces } from '../projects/queries.ts';
import { useTokenMutation } from './queries.ts';

const EXPIRY_DAYS = [7, 30, 90, 365] as const;

/** Name, workspace, role cap and lifetime of a new API token. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: string, name: string) => void }) {
  const id = useId();
  const workspaces = useWorkspaces();
  const [name, setName] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [role, setRole] = useState('');
  const [days, setDays] = useState('90');
  const create = useTokenMutation(createToken);
  const submit = () =>
    create.mutate(
      {
        name: name.trim(),
        workspace: workspace || undefined,
        role: (role || undefined) as Role | undefined,
        expires_in_days: days ? Number(days) : undefined,
      },
      {
        onSuccess: (r) => {
          onCreated(r.token, r.token_info.name);
          setName('');
        },
      },
    );
  return (
    <form
      className="toolbar"
      aria-label="Create an API token"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Token name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" required />
      </div>
      <div className="field">
        <label htmlFor={`${id}-ws`}>Workspace</label>
        <select id={`${id}-ws`} value={workspace} onChange={(e) => setWorkspace(e.target.value)}>
          <option value="">Any workspace</option>
          {(workspaces.data ?? []).map((w) => (
            <option key={w.id} value={w.name}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">Same as mine</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              at most {r}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-exp`}>Expires</label>
        <select id={`${id}-exp`} value={days} onChange={(e) => setDays(e.target.value)}>
          {EXPIRY_DAYS.map((d) => (
            <option key={d} value={d}>
              in {d} days
            </option>
          ))}
          <option value="">never</option>
        </select>
      </div>
      <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
        Create token
      </button>
      <ErrorBox error={create.error} title="Could not create the token:" />
    </form>
  );
}
