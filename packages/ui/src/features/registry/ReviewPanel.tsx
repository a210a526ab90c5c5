import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MODEL_VERSION_STAGES, Review } from '@trove/protocol';
import { useEffect, useId, useState } from 'react';
import {
  type ActivityEvent,
  createRequest,
  decideRequest,
  type PolicyRule,
  type ReviewRequest,
  setPolicy,
} from '../../api/trove.ts';
import type { ModelVersion } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { useSession } from '../../app/use-session.ts';
import { Empty, ErrorBox, Loading } from '../../components/status.tsx';
import { NeedsUser, useCurrentUser } from '../../components/UserField.tsx';
import { formatTime } from '../../lib/format.ts';
import { PolicyApprovers } from './PolicyApprovers.tsx';
import { invalidateModel, useActivity, usePolicy, useRequests, versionHref } from './queries.ts';

/** The stages a request may ask for, 'None' (leaving every stage) last. */
const STAGES = [...MODEL_VERSION_STAGES.filter((s) => s !== 'None'), 'None'] as const;

export function describeRequest(r: Pick<ReviewRequest, 'action' | 'stage' | 'alias' | 'version'>): string {
  if (r.action === 'transition') return `v${r.version} → ${r.stage}`;
  if (r.action === 'delete_alias') return `remove @${r.alias} from v${r.version}`;
  return `@${r.alias} → v${r.version}`;
}

/** Pending review requests with approve/reject (and cancel for the requester). */
export function PendingRequests({ name }: { name: string }) {
  const user = useCurrentUser();
  const [status, setStatus] = useState('pending');
  const requests = useRequests(name, status || undefined);
  const list = requests.data?.requests ?? [];
  const statusId = useId();
  return (
    <div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={statusId}>Show requests</label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="pending">pending</option>
            <option value="">all</option>
            <option value="approved">approved</option>
            <option value="rejected">rejected</option>
            <option value="cancelled">cancelled</option>
            <option value="failed">failed</option>
          </select>
        </div>
      </div>
      <ErrorBox error={requests.error} title="Could not load review requests." />
      {requests.isPending ? (
        <Loading />
      ) : list.length === 0 ? (
        <Empty>{status === 'pending' ? 'No pending requests.' : 'No requests.'}</Empty>
      ) : (
        <ul className="request-list" aria-label="Review requests">
          {list.map((r) => (
            <RequestItem key={r.request_id} name={name} request={r} user={user} />
          ))}
        </ul>
      )}
    </div>
  );
}

function RequestItem({ name, request: r, user }: { name: string; request: ReviewRequest; user: string }) {
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const commentId = useId();
  const decide = useMutation({
    mutationFn: (verb: 'approve' | 'reject' | 'cancel') => decideRequest(name, r.request_id, verb, comment.trim()),
    onSuccess: () => {
      setComment('');
      invalidateModel(qc, name);
    },
  });
  const votes = [...r.approvals, ...r.rejections].sort((a, b) => a.timestamp - b.timestamp);
  const open = r.status === 'pending';
  return (
    <li className="request" id={`request-${r.request_id}`} data-request-id={r.request_id} data-status={r.status}>
      <div className="request-head">
        <strong>{describeRequest(r)}</strong> <span className={`badge request-${r.status}`}>{r.status}</span>{' '}
        <span className="muted">
          requested by {r.requester} {formatTime(r.creation_timestamp)} · {r.approvals.length}/{r.required_approvals}{' '}
          approvals
        </span>{' '}
        <Link to={versionHref(name, r.version)}>v{r.version}</Link>
      </div>
      {r.comment ? <p className="request-comment">“{r.comment}”</p> : null}
      {r.status_message ? <p className="muted">{r.status_message}</p> : null}
      {votes.length > 0 ? (
        <ul className="votes">
          {votes.map((v) => (
            <li key={`${v.user}-${v.timestamp}`}>
              <strong>{v.user}</strong> {v.decision === 'approve' ? 'approved' : 'rejected'}
              {v.comment ? `: “${v.comment}”` : ''} <span className="muted">{formatTime(v.timestamp)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {open && user ? (
        <div className="decision">
          <div className="field grow">
            <label htmlFor={commentId}>Decision comment</label>
            <input id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          {user === r.requester ? (
            <button type="button" onClick={() => decide.mutate('cancel')} disabled={decide.isPending}>
              Cancel request
            </button>
          ) : (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => decide.mutate('approve')}
                disabled={decide.isPending}
              >
                Approve
              </button>
              <button type="button" onClick={() => decide.mutate('reject')} disabled={decide.isPending}>
                Reject
              </button>
            </>
          )}
        </div>
      ) : null}
      <ErrorBox error={decide.error} />
    </li>
  );
}

/** Ask for a stage transition or an alias change on one version, with a comment. */
export function RequestForm({ name, versions }: { name: string; versions: ModelVersion[] }) {
  const user = useCurrentUser();
  const qc = useQueryClient();
  const [version, setVersion] = useState('');
  const [kind, setKind] = useState<'stage' | 'alias' | 'remove_alias'>('stage');
  const [stage, setStage] = useState<string>('Production');
  const [archive, setArchive] = useState(false);
  const [alias, setAlias] = useState('');
  const [comment, setComment] = useState('');
  const [done, setDone] = useState('');
  const v = version || versions[0]?.version || '';
  const send = useMutation({
    mutationFn: () =>
      createRequest(
        name,
        v,
        kind === 'stage'
          ? { stage, archive_existing_versions: archive && (stage === 'Staging' || stage === 'Production'), comment }
          : { alias: alias.trim(), remove_alias: kind === 'remove_alias', comment },
      ),
    onSuccess: (r) => {
      setComment('');
      setDone(`Requested ${describeRequest(r.request)}.`);
      invalidateModel(qc, name);
    },
  });
  const ids = { version: useId(), kind: useId(), stage: useId(), alias: useId(), comment: useId() };
  return (
    <form
      className="request-form"
      aria-label="Request a change"
      onSubmit={(e) => {
        e.preventDefault();
        setDone('');
        send.mutate();
      }}
    >
      <NeedsUser user={user} />
      <div className="toolbar">
        <div className="field">
          <label htmlFor={ids.version}>Version</label>
          <select id={ids.version} value={v} onChange={(e) => setVersion(e.target.value)}>
            {versions.map((x) => (
              <option key={x.version} value={x.version}>
                v{x.version}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.kind}>Change</label>
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="stage">Move to stage</option>
            <option value="alias">Set alias</option>
            <option value="remove_alias">Remove alias</option>
          </select>
        </div>
        {kind === 'stage' ? (
          <>
            <div className="field">
              <label htmlFor={ids.stage}>Stage</label>
              <select id={ids.stage} value={stage} onChange={(e) => setStage(e.target.value)}>
                {STAGES.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </div>
            {stage === 'Staging' || stage === 'Production' ? (
              <label className="check">
                <input type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} /> Archive
                existing versions in {stage}
              </label>
            ) : null}
          </>
        ) : (
          <div className="field">
            <label htmlFor={ids.alias}>Alias</label>
            <input id={ids.alias} value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="champion" />
          </div>
        )}
        <div className="field grow">
          <label htmlFor={ids.comment}>Request comment</label>
          <input id={ids.comment} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
        <button
          type="submit"
          className="primary"
          disabled={!user || !v || send.isPending || (kind !== 'stage' && !alias.trim())}
        >
          Request review
        </button>
      </div>
      <ErrorBox error={send.error} title="Could not create the request." />
      {done ? (
        <p role="status" className="muted">
          {done}
        </p>
      ) : null}
    </form>
  );
}

/** The model's review policy: which stages/aliases need approval, and from how many users. */
export function PolicyEditor({ name }: { name: string }) {
  const user = useCurrentUser();
  // Approvers are people: with authentication off anyone can type any name, so rules do not name them.
  const approvers = useSession()?.auth_enabled === true;
  const qc = useQueryClient();
  const policy = usePolicy(name);
  const [rules, setRules] = useState<PolicyRule[] | null>(null);
  useEffect(() => {
    if (policy.data) setRules(policy.data.policy.rules);
  }, [policy.data]);
  const save = useMutation({
    mutationFn: (next: PolicyRule[]) => setPolicy(name, next),
    onSuccess: () => invalidateModel(qc, name),
  });
  if (policy.isPending || !rules) return policy.error ? <ErrorBox error={policy.error} /> : <Loading />;
  const update = (i: number, patch: Partial<PolicyRule>) =>
    setRules(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const saved = JSON.stringify(policy.data?.policy.rules) === JSON.stringify(rules);
  return (
    <form
      className="policy"
      aria-label="Review policy"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(rules);
      }}
    >
      {rules.length === 0 ? (
        <p className="muted">No policy: every request needs one approval from another user.</p>
      ) : null}
      {rules.length > 0 ? (
        <table className="data" aria-label="Policy rules">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Target</th>
              <th scope="col">Approvals needed</th>
              {approvers ? <th scope="col">Approvers</th> : null}
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their position is their identity
              <tr key={i} data-rule={`${r.kind}:${r.target}`}>
                <td>
                  <select
                    aria-label={`Rule ${i + 1} kind`}
                    value={r.kind}
                    onChange={(e) => update(i, { kind: e.target.value as PolicyRule['kind'] })}
                  >
                    <option value="stage">stage</option>
                    <option value="alias">alias</option>
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Rule ${i + 1} target`}
                    value={r.target}
                    onChange={(e) => update(i, { target: e.target.value })}
                    placeholder="Production, champion or *"
                  />
                </td>
                <td>
                  <input
                    aria-label={`Rule ${i + 1} approvals`}
                    type="number"
                    min={1}
                    max={Review.MAX_REQUIRED_APPROVALS}
                    value={r.required_approvals}
                    onChange={(e) => update(i, { required_approvals: Number(e.target.value) })}
                  />
                </td>
                {approvers ? (
                  <td>
                    <PolicyApprovers index={i} rule={r} onChange={(patch) => update(i, patch)} />
                  </td>
                ) : null}
                <td>
                  <button
                    type="button"
                    onClick={() => setRules(rules.filter((_, j) => j !== i))}
                    aria-label={`Remove rule ${i + 1}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          onClick={() => setRules([...rules, { kind: 'stage', target: 'Production', required_approvals: 1 }])}
        >
          Add rule
        </button>
        <button type="submit" className="primary" disabled={!user || saved || save.isPending}>
          Save policy
        </button>
        {!saved ? <span className="muted">unsaved changes</span> : null}
      </div>
      <NeedsUser user={user} />
      <ErrorBox error={save.error} title="Could not save the policy." />
    </form>
  );
}

function describeEvent(e: ActivityEvent): string {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const what = e.entity.replace(/_/g, ' ');
  const target = e.version ? ` v${e.version}` : '';
  let detail = '';
  if (e.entity === 'transition_request' && typeof p.action === 'string') detail = ` (${describeRequest(p as never)})`;
  else if (typeof p.alias === 'string') detail = ` @${p.alias}`;
  else if (typeof p.to_stage === 'string') detail = ` → ${p.to_stage}`;
  else if (typeof p.stage === 'string') detail = ` → ${p.stage}`;
  else if (typeof p.key === 'string') detail = ` ${p.key}`;
  return `${what} ${e.action}${target}${detail}`;
}

/** Everything that happened to the model, newest first, paged. */
export function ActivityLog({ name }: { name: string }) {
  const activity = useActivity(name);
  const events = activity.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <div>
      <ErrorBox error={activity.error} title="Could not load activity." />
      {activity.isPending ? (
        <Loading />
      ) : events.length === 0 ? (
        <Empty>No activity yet.</Empty>
      ) : (
        <table className="data" aria-label="Activity">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.event_id} data-event-id={e.event_id} data-entity={e.entity} data-action={e.action}>
                <td>{formatTime(e.timestamp)}</td>
                <td>{e.actor ?? <span className="muted">—</span>}</td>
                <td>{describeEvent(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {activity.hasNextPage ? (
        <p>
          <button type="button" onClick={() => activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
            Older activity
          </button>
        </p>
      ) : null}
    </div>
  );
}
