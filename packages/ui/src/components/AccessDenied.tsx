import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/client.ts';
import { sessionNow, subscribeSession } from '../api/session.ts';

/** A 403: the page or control shows {@link AccessDenied} (through `ErrorBox`) instead of its content. */
export const isAccessDenied = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 403;

/**
 * What a 403 shows in place of the page or control that was refused: what was asked, who the
 * browser is signed in as, and whom to ask for access.
 */
export function AccessDenied({ what, message }: { what: string; message?: string }) {
  const session = useSyncExternalStore(subscribeSession, sessionNow);
  const user = session?.user;
  return (
    <div role="alert" className="error-box access-denied">
      <strong>Access denied.</strong> {what}
      {message ? ` (${message})` : null}
      <p>
        {user ? (
          <>
            You are signed in as <strong>{user.username}</strong>
            {user.groups.length ? ` (groups: ${user.groups.join(', ')})` : ''}.
          </>
        ) : (
          'You are not signed in.'
        )}{' '}
        To get access, ask a server admin or an admin of this workspace to grant {user ? 'you' : 'your user'} a role or
        a permission here, and send them this page’s address.
      </p>
    </div>
  );
}

/** `GET /api/…` as words: "Reading /api/… was refused." */
export function refusedRequest(request: string): string {
  const space = request.indexOf(' ');
  if (space < 0) return 'The server refused this request.';
  const verb = request.slice(0, space) === 'GET' ? 'Reading' : 'Changing';
  return `${verb} ${request.slice(space + 1)} was refused.`;
}
