/** Signing in and out with a password (`/api/trove/v1/auth/login|logout`); the server sets and clears the cookie. */
import type { Identity } from '@trove/protocol';
import { troveRootSend } from './client.ts';
import { loadSession, type Session, sessionStarted } from './session.ts';

export async function signIn(username: string, password: string): Promise<Session> {
  return sessionStarted(await troveRootSend<Identity.MeResponse>('POST', '/auth/login', { username, password }));
}

export async function signOut(): Promise<Session> {
  await troveRootSend<object>('POST', '/auth/logout');
  return loadSession(true);
}
