import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { signIn } from '../../api/sign-in.ts';
import { Link, navigate, useUrlState } from '../../app/router.tsx';
import { useSession } from '../../app/use-session.ts';
import { safeNextPath, ssoHref } from '../../lib/sign-in-paths.ts';
import { str } from '../../lib/url-state.ts';
import './login.css';

/** `/login?next=<browser path>`: where to go once signed in. */
const loginSpec = { next: str() };

/** Password sign-in (the server sets the session cookie), and single sign-on when the server offers it. */
export default function LoginPage() {
  const session = useSession();
  const [{ next }] = useUrlState(loginSpec);
  const target = safeNextPath(next);
  if (session && !session.auth_enabled)
    return (
      <section className="page narrow">
        <h1>Sign in</h1>
        <p>Authentication is off on this server: there is nothing to sign in to.</p>
        <Link to={target}>Continue</Link>
      </section>
    );
  return (
    <section className="page narrow">
      <h1>Sign in to Trove</h1>
      {session?.user ? (
        <p>
          You are signed in as <strong>{session.user.username}</strong>. <Link to={target}>Continue</Link>
        </p>
      ) : null}
      <PasswordForm next={target} />
      {session?.sso ? (
        <p className="sso">
          <a className="button" href={ssoHref(session.sso.login_url, target)}>
            Sign in with {session.sso.name}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function PasswordForm({ next }: { next: string }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [pending, setPending] = useState(false);
  const submit = async () => {
    setPending(true);
    setError('');
    try {
      await signIn(username.trim(), password);
      // Whatever was cached was read signed out (or as someone else).
      queryClient.clear();
      navigate(next, { replace: true, raw: true });
    } catch (e) {
      setError(signInError(e));
      setPending(false);
    }
  };
  return (
    <form
      className="login-form"
      aria-label="Sign-in form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-user`}>Username</label>
        <input
          id={`${id}-user`}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
      </div>
      {error ? (
        <div role="alert" className="error-box">
          {error}
        </div>
      ) : null}
      <button type="submit" className="primary" disabled={pending || !username.trim() || !password}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function signInError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return 'Wrong username or password.';
  if (e instanceof ApiError && e.status === 429)
    return 'Too many failed sign-in attempts. Wait a few minutes, then try again.';
  return e instanceof Error ? e.message : String(e);
}
