import { useQueryClient } from '@tanstack/react-query';
import type { Notifications } from '@trove/protocol';
import type { MouseEvent } from 'react';
import { Link, navigate, useUrlState } from '../../app/router.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { flag } from '../../lib/url-state.ts';
import { useInbox, useMarkRead } from './queries.ts';
import './notifications.css';

const spec = { unread: flag() };

/** The inbox: the user's notifications, newest first; opening one marks it read. */
export default function InboxPage() {
  const user = useCurrentUser();
  const [state, setState] = useUrlState(spec);
  const inbox = useInbox(user, state.unread);
  const mark = useMarkRead();
  const client = useQueryClient();
  if (!user)
    return (
      <section className="page">
        <h1>Notifications</h1>
        <p>Set who you are (“Acting as”, or sign in) to see your notifications.</p>
      </section>
    );
  const items = inbox.data?.pages.flatMap((p) => p.notifications) ?? [];
  const open = (e: MouseEvent<HTMLAnchorElement>, n: Notifications.NotificationEntry) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (!n.read) mark.mutate({ ids: [n.id] });
    // What it is about changed since it was cached: read it afresh. Links carry their workspace
    // prefix already (none for `default`).
    void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'notifications' });
    navigate(n.link, { raw: true });
  };
  return (
    <section className="page inbox-page">
      <div className="inbox-head">
        <h1>Notifications</h1>
        <label>
          <input type="checkbox" checked={state.unread} onChange={(e) => setState({ unread: e.target.checked })} />{' '}
          Unread only
        </label>
        <button type="button" onClick={() => mark.mutate({ all: true })} disabled={mark.isPending}>
          Mark all read
        </button>
        <Link to="/notifications/settings">Settings</Link>
      </div>
      {inbox.isPending ? <Loading /> : null}
      {inbox.error ? <ErrorBox error={inbox.error} /> : null}
      {inbox.isSuccess && items.length === 0 ? <p className="muted">Nothing here.</p> : null}
      <ul className="inbox-list" aria-label="Notifications">
        {items.map((n) => (
          <li key={n.id} className={n.read ? 'inbox-item read' : 'inbox-item unread'}>
            <a href={n.link} onClick={(e) => open(e, n)} className="inbox-title">
              {n.title}
            </a>
            {n.body ? <p className="inbox-body">{n.body}</p> : null}
            <span className="muted inbox-meta">
              {new Date(n.creation_timestamp).toLocaleString()}
              {n.workspace !== 'default' ? ` · ${n.workspace}` : ''}
            </span>
            {n.read ? null : (
              <button type="button" className="link-button" onClick={() => mark.mutate({ ids: [n.id] })}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
      {inbox.hasNextPage ? (
        <button type="button" onClick={() => inbox.fetchNextPage()} disabled={inbox.isFetchingNextPage}>
          More
        </button>
      ) : null}
    </section>
  );
}
