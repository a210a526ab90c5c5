import { useEffect, useState, useSyncExternalStore } from 'react';
import { currentUser, setCurrentUser } from '../api/client.ts';
import { subscribeSession } from '../api/session.ts';

function subscribe(cb: () => void) {
  window.addEventListener('trove-user', cb);
  window.addEventListener('storage', cb);
  const unsubscribe = subscribeSession(cb);
  return () => {
    window.removeEventListener('trove-user', cb);
    window.removeEventListener('storage', cb);
    unsubscribe();
  };
}

/**
 * The name this browser acts under for writes (comments, reviews): the signed-in user with
 * authentication on, else the "Acting as" name, sent as `X-Trove-User`.
 */
export function useCurrentUser(): string {
  return useSyncExternalStore(subscribe, currentUser, () => '');
}

/** The top bar's "acting as" field (authentication off only): committed on blur or Enter, kept in localStorage. */
export function UserField() {
  const user = useCurrentUser();
  const [draft, setDraft] = useState(user);
  useEffect(() => setDraft(user), [user]);
  const commit = () => {
    const name = draft.trim();
    if (name !== user) setCurrentUser(name);
  };
  return (
    <label className="user-field">
      <span>Acting as</span>
      <input
        value={draft}
        placeholder="your name"
        size={12}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

/** A note shown beside write controls while no user name is set. */
export function NeedsUser({ user }: { user: string }) {
  if (user) return null;
  return (
    <p className="muted" role="note">
      Set your name in “Acting as” at the top (under Menu in a narrow window) to write here.
    </p>
  );
}
