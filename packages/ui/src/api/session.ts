import type { Identity } from '@trove/protocol';
import { takeEarlySession } from './early-requests.ts';

/**
 * Who the browser is signed in as (`GET /api/trove/v1/auth/me`). Kept outside TanStack Query on
 * purpose: the fetch layer reads the CSRF token synchronously for every write, and a 401 from any
 * call must mark the session as gone before the next render.
 */
export type Session = Identity.MeResponse;

const ME_URL = '/api/trove/v1/auth/me';

let current: Session | undefined;
let loading: Promise<Session> | undefined;
const listeners = new Set<() => void>();

function publish(session: Session): Session {
  current = session;
  loading = Promise.resolve(session);
  for (const l of listeners) l();
  return session;
}

async function fetchMe(): Promise<Session> {
  // index.html asked already (api/early-requests.ts): the first load adopts that answer.
  const early = takeEarlySession();
  if (early) return (await early) as Session;
  try {
    const res = await fetch(ME_URL, { headers: { 'x-trove-ui': '1' } });
    // A server without the identity API has no sign-in: the UI works as it always did.
    return res.ok ? ((await res.json()) as Session) : { auth_enabled: false };
  } catch {
    return { auth_enabled: false };
  }
}

/** The session, fetched once (`refresh` asks again, after sign-in or sign-out). */
export function loadSession(refresh = false): Promise<Session> {
  if (refresh || !loading) loading = fetchMe().then(publish);
  return loading;
}

/** The session as last known; undefined until the first answer. */
export const sessionNow = (): Session | undefined => current;

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sign-in answered with the new session (it carries the CSRF token). */
export const sessionStarted = (session: Session): Session => publish(session);

/** The server said 401: the session expired or was ended elsewhere. */
export function sessionLost(): void {
  if (current?.auth_enabled && current.user) publish({ auth_enabled: true, sso: current.sso });
}
