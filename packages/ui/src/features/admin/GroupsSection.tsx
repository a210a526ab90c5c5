import { useId, useState } from 'react';
import { addGroupMember, createGroup, deleteGroup, type Group, removeGroupMember } from '../../api/identity.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { latestError } from '../../lib/latest-error.ts';
import { useAdminMutation, useGroups, useUsers } from './queries.ts';

/** Groups and their members; a group's roles and grants are set under "Workspace access". */
export function GroupsSection() {
  const groups = useGroups();
  const users = useUsers();
  const usernames = (users.data ?? []).map((u) => u.username);
  const list = groups.data ?? [];
  return (
    <>
      <h2>Groups</h2>
      <CreateGroupForm />
      <ErrorBox error={groups.error} title="Could not load groups." />
      {groups.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No groups yet.</Empty>
      ) : (
        <table className="data" aria-label="Groups">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Description</th>
              <th scope="col">Members</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((g) => (
              <GroupRow key={g.name} group={g} usernames={usernames} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CreateGroupForm() {
  const id = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAdminMutation((a: { name: string; description: string }) => createGroup(a.name, a.description));
  return (
    <form
      className="toolbar"
      aria-label="Create a group"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { name: name.trim(), description: description.trim() },
          {
            onSuccess: () => {
              setName('');
              setDescription('');
            },
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>New group name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-desc`}>Description (optional)</label>
        <input id={`${id}-desc`} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
        Create group
      </button>
      <ErrorBox error={create.error} title="Could not create the group:" />
    </form>
  );
}

function GroupRow({ group: g, usernames }: { group: Group; usernames: string[] }) {
  const [adding, setAdding] = useState('');
  const add = useAdminMutation((username: string) => addGroupMember(g.name, username));
  const drop = useAdminMutation((username: string) => removeGroupMember(g.name, username));
  const remove = useAdminMutation(() => deleteGroup(g.name));
  const candidates = usernames.filter((u) => !g.members.includes(u));
  return (
    <tr data-group={g.name}>
      <td>{g.name}</td>
      <td>{g.description ?? ''}</td>
      <td>
        {g.members.map((m) => (
          <span key={m} className="chip member-chip">
            {m}
            <button
              type="button"
              aria-label={`Remove ${m} from ${g.name}`}
              disabled={drop.isPending}
              onClick={() => drop.mutate(m)}
            >
              ×
            </button>
          </span>
        ))}
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(adding, { onSuccess: () => setAdding('') });
          }}
        >
          <select aria-label={`Add a member to ${g.name}`} value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Add a member…</option>
            {candidates.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!adding || add.isPending}>
            Add
          </button>
        </form>
        <ErrorBox error={latestError(add, drop)} />
      </td>
      <td>
        <button
          type="button"
          aria-label={`Delete group ${g.name}`}
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete group “${g.name}”? Its members lose the roles and grants it gave them.`))
              remove.mutate(undefined);
          }}
        >
          Delete
        </button>
        <ErrorBox error={remove.error} />
      </td>
    </tr>
  );
}
