import type { Principal } from '../../api/identity.ts';
import { useGroups, useUsers } from './queries.ts';

export interface PrincipalChoice {
  kind: 'user' | 'group';
  name: string;
}

export const NO_PRINCIPAL: PrincipalChoice = { kind: 'user', name: '' };

export const principalOf = (c: PrincipalChoice): Principal =>
  c.kind === 'user' ? { username: c.name } : { group: c.name };

/** Who a role or a grant is for: a user or a group, picked from the server's lists. */
export function PrincipalFields({
  id,
  value,
  onChange,
}: {
  id: string;
  value: PrincipalChoice;
  onChange: (v: PrincipalChoice) => void;
}) {
  const users = useUsers();
  const groups = useGroups();
  const names =
    value.kind === 'user' ? (users.data ?? []).map((u) => u.username) : (groups.data ?? []).map((g) => g.name);
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-kind`}>For a</label>
        <select
          id={`${id}-kind`}
          value={value.kind}
          onChange={(e) => onChange({ kind: e.target.value as PrincipalChoice['kind'], name: '' })}
        >
          <option value="user">user</option>
          <option value="group">group</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{value.kind === 'user' ? 'User' : 'Group'}</label>
        <select id={`${id}-name`} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })}>
          <option value="">Choose…</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
