import type { Role } from './levels.ts';

/** A signed-in identity as the request proved it. */
export interface CallerUser {
  id: number;
  username: string;
  isAdmin: boolean;
  kind: 'user' | 'service';
}

/**
 * Who is asking. `user` is undefined for an anonymous request (auth on, no credentials) and for
 * every request when auth is off (`open`), where everything is allowed.
 */
export interface Caller {
  via: 'open' | 'anonymous' | 'basic' | 'bearer' | 'session';
  user?: CallerUser;
  groupIds: number[];
  /** The token's caps when the request came with an API token. */
  token?: { id: number; workspaceId: number | null; role: Role | null };
  /** The session's CSRF secret when the request came with a session cookie. */
  csrf?: string;
}

export const OPEN_CALLER: Caller = Object.freeze({ via: 'open', groupIds: [] }) as Caller;
export const ANONYMOUS: Caller = Object.freeze({ via: 'anonymous', groupIds: [] }) as Caller;
