import { useId, useState } from 'react';
import { type Member, ROLES, type Role, removeMember, setMember } from '../../api/identity.ts';
import { useLocation } from '../../app/router.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { latestError } from '../../lib/latest-error.ts';
import { GrantForm } from './GrantForm.tsx';
import { NO_PRINCIPAL, PrincipalFields, principalOf } from './PrincipalFields.tsx';
import { useAdminMutation, useMembers } from './queries.ts';

/** The workspace's members (a role per user or group) and grants on its experiments and models. */
export function AccessSection() {
  const { workspace } = useLocation();
  const members = useMembers();
  const list = members.data ?? [];
  return (
    <>
      <h2>Workspace “{workspace}”</h2>
      <p className="muted">
        Roles and grants below are for this workspace; pick another with the workspace switcher at the top. Without a
        role, users get the server’s default permission.
      </p>
      <h3>Members</h3>
      <AddMemberForm />
      <ErrorBox error={members.error} title="Could not load the members." />
      {members.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No members with a role in this workspace.</Empty>
      ) : (
        <table className="data" aria-label="Workspace members">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Kind</th>
              <th scope="col">Role</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <MemberRow key={`${m.kind}:${m.name}`} member={m} />
            ))}
          </tbody>
        </table>
      )}
      <h3>Grants on an experiment or a registered model</h3>
      <GrantForm />
    </>
  );
}

function MemberRow({ member: m }: { member: Member }) {
  const who = m.kind === 'user' ? { username: m.name } : { group: m.name };
  const change = useAdminMutation((role: Role) => setMember(who, role));
  const remove = useAdminMutation(() => removeMember(who));
  return (
    <tr data-member={`${m.kind}:${m.name}`}>
      <td>{m.name}</td>
      <td>{m.kind}</td>
      <td>
        <select
          aria-label={`Role of ${m.kind} ${m.name}`}
          value={m.role}
          disabled={change.isPending}
          onChange={(e) => change.mutate(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>
        <button
          type="button"
          aria-label={`Remove ${m.kind} ${m.name} from the workspace`}
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined)}
        >
          Remove
        </button>
        <ErrorBox error={latestError(change, remove)} />
      </td>
    </tr>
  );
}

function AddMemberForm() {
  const id = useId();
  const [who, setWho] = useState(NO_PRINCIPAL);
  const [role, setRole] = useState<Role>('viewer');
  const add = useAdminMutation(() => setMember(principalOf(who), role));
  return (
    <form
      className="toolbar"
      aria-label="Give a role in this workspace"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(undefined, { onSuccess: () => setWho(NO_PRINCIPAL) });
      }}
    >
      <PrincipalFields id={`${id}-who`} value={who} onChange={setWho} />
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary" disabled={!who.name || add.isPending}>
        Set role
      </button>
      <ErrorBox error={add.error} title="Could not set the role:" />
    </form>
  );
}
