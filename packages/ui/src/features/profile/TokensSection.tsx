import { useState } from 'react';
import { revokeToken, type Token } from '../../api/identity.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { formatTime } from '../../lib/format.ts';
import { useWorkspaces } from '../projects/queries.ts';
import { CreateTokenForm } from './CreateTokenForm.tsx';
import { useTokenMutation, useTokens } from './queries.ts';

/** The user's API tokens: create (the secret is shown once), list, revoke. */
export function TokensSection() {
  const tokens = useTokens();
  const workspaces = useWorkspaces();
  const revoke = useTokenMutation((id: number) => revokeToken(id));
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const workspaceName = (id: number | null) =>
    id === null ? 'any' : (workspaces.data?.find((w) => w.id === id)?.name ?? `#${id}`);
  const list = tokens.data ?? [];
  return (
    <>
      <h2>API tokens</h2>
      <p className="muted">
        For scripts and CI: send a token as <code>Authorization: Bearer …</code> (MLflow clients:{' '}
        <code>MLFLOW_TRACKING_TOKEN</code>). A token never holds more than you do; a role caps it further.
      </p>
      {created ? <NewToken {...created} onDone={() => setCreated(null)} /> : null}
      <CreateTokenForm onCreated={(token, name) => setCreated({ token, name })} />
      <ErrorBox error={tokens.error} title="Could not load your tokens." />
      <ErrorBox error={revoke.error} title="Could not revoke the token." />
      {tokens.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>No API tokens yet.</Empty>
      ) : (
        <table className="data" aria-label="API tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Workspace</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.id} data-token-id={t.id}>
                <td>{t.name}</td>
                <td className="mono">{t.prefix}…</td>
                <td>{workspaceName(t.workspace_id)}</td>
                <td>{t.role ?? 'yours'}</td>
                <td>{formatTime(t.creation_time)}</td>
                <td>{t.expires_time === null ? 'never' : formatTime(t.expires_time)}</td>
                <td>{t.last_used_time === null ? 'never' : formatTime(t.last_used_time)}</td>
                <td>{tokenStatus(t)}</td>
                <td>
                  {t.revoked_time === null ? (
                    <button
                      type="button"
                      aria-label={`Revoke token ${t.name}`}
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (window.confirm(`Revoke token “${t.name}”? Anything using it stops working at once.`))
                          revoke.mutate(t.id);
                      }}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function tokenStatus(t: Token, now = Date.now()): string {
  if (t.revoked_time !== null) return `revoked ${formatTime(t.revoked_time)}`;
  if (t.expires_time !== null && t.expires_time <= now) return 'expired';
  return 'active';
}

/** The new token's secret, shown this once: the server keeps only its hash. */
function NewToken({ token, name, onDone }: { token: string; name: string; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(token).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <section className="new-token" aria-label="New API token">
      <p>
        <strong>Token “{name}” created.</strong> Copy it now: it is shown only this once and cannot be recovered.
      </p>
      <div className="new-token-value">
        <code className="token-value">{token}</code>
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied === true ? <p role="status">Copied to the clipboard.</p> : null}
      {copied === false ? <p role="status">Copying was refused by the browser: select the token and copy it.</p> : null}
    </section>
  );
}
