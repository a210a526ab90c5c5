import { useId, useState } from 'react';
import { createUser, deleteUser, type User, updateUser } from '../../api/identity.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { latestError } from '../../lib/latest-error.ts';
import { useAdminMutation, useUsers } from './queries.ts';

/** Users and service accounts: create, set a password, make admin, delete. */
export function UsersSection({ self }: { self: string }) {
  const users = useUsers();
  const list = users.data ?? [];
  return (
    <>
      <h2>Users and service accounts</h2>
      <CreateUserForm />
      <ErrorBox error={users.error} title="Could not load users." />
      {users.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No users.</Empty>
      ) : (
        <table className="data" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Kind</th>
              <th scope="col">Server admin</th>
              <th scope="col">Created</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <UserRow key={u.id} user={u} self={u.username === self} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CreateUserForm() {
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [admin, setAdmin] = useState(false);
  const [service, setService] = useState(false);
  const create = useAdminMutation(createUser);
  return (
    <form
      className="toolbar"
      aria-label="Create a user"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          {
            username: username.trim(),
            password: service ? undefined : password,
            is_admin: admin,
            service_account: service,
          },
          {
            onSuccess: () => {
              setUsername('');
              setPassword('');
            },
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>New username</label>
        <input id={`${id}-name`} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          disabled={service}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
        />
      </div>
      <label className="admin-check">
        <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> Server admin
      </label>
      <label className="admin-check">
        <input type="checkbox" checked={service} onChange={(e) => setService(e.target.checked)} /> Service account
        (tokens only)
      </label>
      <button
        type="submit"
        className="primary"
        disabled={!username.trim() || (!service && !password) || create.isPending}
      >
        Create user
      </button>
      <ErrorBox error={create.error} title="Could not create the user:" />
    </form>
  );
}

function UserRow({ user: u, self }: { user: User; self: boolean }) {
  const [password, setPassword] = useState<string | null>(null);
  const update = useAdminMutation((patch: { password?: string; is_admin?: boolean }) => updateUser(u.username, patch));
  const remove = useAdminMutation(() => deleteUser(u.username));
  const kind = u.kind === 'service' ? 'service account' : u.sso ? 'user (SSO)' : 'user';
  return (
    <tr data-username={u.username}>
      <td>
        {u.username}
        {self ? <span className="muted"> (you)</span> : null}
      </td>
      <td>{kind}</td>
      <td>{u.is_admin ? 'yes' : 'no'}</td>
      <td>{formatTime(u.creation_time)}</td>
      <td>{u.last_login_time === null ? 'never' : formatTime(u.last_login_time)}</td>
      <td>
        <div className="row-actions">
          {password === null ? (
            u.kind === 'service' ? null : (
              <button type="button" onClick={() => setPassword('')}>
                Set password
              </button>
            )
          ) : (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                update.mutate({ password }, { onSuccess: () => setPassword(null) });
              }}
            >
              <input
                type="password"
                aria-label={`New password for ${u.username}`}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
              />
              <button type="submit" className="primary" disabled={!password || update.isPending}>
                Save
              </button>
              <button type="button" onClick={() => setPassword(null)}>
                Cancel
              </button>
            </form>
          )}
          <button type="button" disabled={update.isPending} onClick={() => update.mutate({ is_admin: !u.is_admin })}>
            {u.is_admin ? 'Remove admin' : 'Make admin'}
          </button>
          <button
            type="button"
            aria-label={`Delete user ${u.username}`}
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete user “${u.username}”? Their tokens, sessions and grants go too.`))
                remove.mutate(undefined);
            }}
          >
            Delete
          </button>
        </div>
        <ErrorBox error={latestError(update, remove)} />
      </td>
    </tr>
  );
}
