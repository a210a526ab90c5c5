import { useEffect, useSyncExternalStore } from 'react';
import { type Session, sessionNow, subscribeSession } from '../api/session.ts';
import { loginPath } from '../lib/sign-in-paths.ts';
import { navigate } from './router.tsx';

/** The session (who is signed in, whether authentication is on); undefined until the server answered. */
export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribeSession, sessionNow);
}

/** True once the page may render: authentication is off, someone is signed in, or the page is the login page. */
export function mayRender(session: Session | undefined, onLoginPage: boolean): boolean {
  return session !== undefined && (!session.auth_enabled || session.user !== undefined || onLoginPage);
}

/** With authentication on and nobody signed in, every page but the login page leads to it, remembering where it was. */
export function useSignInRedirect(session: Session | undefined, onLoginPage: boolean): void {
  const signedOut = session?.auth_enabled === true && session.user === undefined;
  useEffect(() => {
    if (signedOut && !onLoginPage)
      navigate(loginPath(window.location.pathname + window.location.search), { replace: true, raw: true });
  }, [signedOut, onLoginPage]);
}
