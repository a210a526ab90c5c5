import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Session } from '../api/session.ts';
import { signOut } from '../api/sign-in.ts';
import { Link, navigate } from '../app/router.tsx';
import { LOGIN_PATH } from '../lib/sign-in-paths.ts';

/** The signed-in user's name in the top bar, opening their profile and sign-out. */
export function UserMenu({ session }: { session: Session }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const queryClient = useQueryClient();
  const [error, setError] = useState('');
  const user = session.user;
  if (!user) return null;
  const close = () => {
    if (menu.current) menu.current.open = false;
  };
  const leave = async () => {
    try {
      await signOut();
      queryClient.clear();
      navigate(LOGIN_PATH, { raw: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <details className="user-menu" ref={menu}>
      <summary title={`Signed in as ${user.username}`}>{user.username}</summary>
      <div className="user-menu-items">
        <Link to="/profile" onClick={close}>
          Profile and API tokens
        </Link>
        <button type="button" onClick={() => void leave()}>
          Sign out
        </button>
        {error ? <p role="alert">{error}</p> : null}
      </div>
    </details>
  );
}
