import { findExperimentByName, type Store } from '@trove/store';
import type { FastifyRequest } from 'fastify';
import type { Workspace } from '../services/workspace.service.ts';
import type { AuthConfig } from './auth-config.ts';
import { type Authorizer, permissionDenied, unauthenticated } from './authorizer.ts';
import { ANONYMOUS, type Caller, OPEN_CALLER } from './caller.ts';
import type { IdentityService } from './identity.service.ts';
import { FULL_ACCESS, type Level, type Need, NO_ACCESS } from './levels.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { Access, AccessInput } from './route-access.ts';
import { readSessionCookie } from './session-cookie.ts';

/** The accesses that name a resource (or the workspace) whose level the caller must have. */
type ResourceAccess = Exclude<Access, { kind: 'public' | 'user' | 'admin' | 'self' | 'filtered' | 'all' }>;

const lowest = (a: Level, b: Level): Level => (b < a ? b : a);

export const CSRF_HEADER = 'x-csrf-token';

const callers = new WeakMap<FastifyRequest, Caller>();

/** The caller the guard established for a request (OPEN when auth is off). */
export function callerOf(request: FastifyRequest): Caller {
  return callers.get(request) ?? OPEN_CALLER;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one authorization layer: every route the router mounts passes through {@link Guard.check}
 * with its declared {@link Access} before its handler runs.
 */
export function createGuard(
  store: Store,
  config: AuthConfig,
  identity: IdentityService,
  authorizer: Authorizer,
  throttle: LoginThrottle,
) {
  /** Who the request proves to be. Wrong credentials are a 401, never a fall back to anonymous. */
  async function authenticate(request: FastifyRequest): Promise<Caller> {
    if (!config.enabled) return OPEN_CALLER;
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      const space = header.indexOf(' ');
      const scheme = header.slice(0, space).toLowerCase();
      const value = header.slice(space + 1).trim();
      if (scheme === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const username = colon < 0 ? decoded : decoded.slice(0, colon);
        throttle.check(username, request.ip);
        const caller = colon < 0 ? undefined : await identity.verifyBasic(username, decoded.slice(colon + 1));
        if (!caller) {
          throttle.failed(username, request.ip);
          throw unauthenticated();
        }
        return caller;
      }
      if (scheme === 'bearer') {
        const caller = await identity.verifyToken(value);
        if (!caller) throw unauthenticated();
        return caller;
      }
      throw unauthenticated();
    }
    const session = readSessionCookie(request);
    if (session !== undefined) {
      const caller = await identity.verifySession(session);
      if (!caller) return ANONYMOUS;
      // A cookie rides along on cross-site requests; a write must also carry the session's CSRF secret.
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || sent !== caller.csrf)
          throw Object.assign(permissionDenied(), { message: 'Missing or wrong CSRF token.' });
      }
      return caller;
    }
    return ANONYMOUS;
  }

  /** The grant key of the experiment a request names; undefined for a name that names none (the handler's 404). */
  async function experimentKeyOf(ws: Workspace, value: string, byName: boolean): Promise<string | undefined> {
    if (byName) {
      const row = await findExperimentByName(store.db, ws.id, value);
      return row === undefined ? undefined : String(row.experiment_id);
    }
    return authorizer.experimentKey(ws, value);
  }

  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  const MANAGER: Level = 3;

  /** The caller's level for one access on the request's resources: the lowest over every resource named. */
  async function levelFor(access: ResourceAccess, caller: Caller, ws: Workspace, req: AccessInput): Promise<Level> {
    if (access.kind === 'workspace') return authorizer.workspaceLevel(caller, ws);
    const named = list(access.from(req));
    // A request that names no resource acts on the workspace (MLflow's Default experiment, every
    // experiment's tag keys): it needs the same level there. Fail closed.
    if (named.length === 0)
      return 'optional' in access && access.optional ? FULL_ACCESS : authorizer.workspaceLevel(caller, ws);
    switch (access.kind) {
      case 'experiment': {
        let level: Level = FULL_ACCESS;
        const byName = req.input.experiment_name !== undefined;
        for (const id of named) {
          const key = await experimentKeyOf(ws, id, byName && id === req.input.experiment_name);
          // A name that names nothing is the handler's to refuse (404), as MLflow does.
          if (key !== undefined) level = lowest(level, await authorizer.experimentLevel(caller, ws, key));
        }
        return level;
      }
      case 'run': {
        let level: Level = FULL_ACCESS;
        for (const id of named) {
          // A run that does not exist is the handler's 404, as in MLflow.
          const exp = await authorizer.runExperiment(id);
          if (exp !== undefined) level = lowest(level, await authorizer.experimentLevel(caller, ws, exp));
        }
        return level;
      }
      case 'loggedModel': {
        let level: Level = FULL_ACCESS;
        for (const id of named) {
          const exp = await authorizer.loggedModelExperiment(ws, id);
          if (exp !== undefined) level = lowest(level, await authorizer.experimentLevel(caller, ws, exp));
        }
        return level;
      }
      case 'trace': {
        let level: Level = FULL_ACCESS;
        for (const id of named) {
          // A trace that does not exist is the handler's 404.
          const exp = await authorizer.traceExperiment(ws, id);
          if (exp !== undefined) level = lowest(level, await authorizer.experimentLevel(caller, ws, exp));
        }
        return level;
      }
      case 'model': {
        let level: Level = FULL_ACCESS;
        for (const name of named) level = lowest(level, await authorizer.modelLevel(caller, ws, name));
        return level;
      }
      case 'artifactPath': {
        // Proxied artifacts live under `<experiment id>/<run id>/…`; a path outside any experiment
        // needs the same level in the workspace.
        const first = /^\/?(\d+)(?:\/|$)/.exec(named[0])?.[1];
        const key = first === undefined ? undefined : authorizer.experimentKey(ws, first);
        return key === undefined ? authorizer.workspaceLevel(caller, ws) : authorizer.experimentLevel(caller, ws, key);
      }
      case 'view': {
        const view = await authorizer.savedViewOf(ws, named[0]);
        if (view === undefined) return FULL_ACCESS;
        const level = await authorizer.experimentLevel(caller, ws, view.experiment);
        if (access.need === 'read') return level;
        return (await ownsOrModerates(caller, ws, view.owner)) ? level : NO_ACCESS;
      }
      case 'comment': {
        const comment = await authorizer.commentOf(ws, named[0]);
        if (comment === undefined) return FULL_ACCESS;
        // Commenting needs only reading the thread; changing a comment is its author's (or a manager's).
        const read =
          comment.experiment !== undefined
            ? await authorizer.experimentLevel(caller, ws, comment.experiment)
            : comment.model !== undefined
              ? await authorizer.modelLevel(caller, ws, comment.model)
              : await authorizer.workspaceLevel(caller, ws);
        if (access.need === 'read' || read === NO_ACCESS) return read;
        return (await ownsOrModerates(caller, ws, comment.author)) ? FULL_ACCESS : NO_ACCESS;
      }
    }
  }

  /** The owner of a workspace document, or a manager of the workspace. */
  async function ownsOrModerates(caller: Caller, ws: Workspace, owner: string): Promise<boolean> {
    return caller.user?.username === owner || (await authorizer.workspaceLevel(caller, ws)) >= MANAGER;
  }

  /** Checks `access` for a signed-in caller (or any caller with auth off); throws 401/403. */
  async function authorize(
    access: Access,
    caller: Caller,
    workspace: () => Promise<Workspace>,
    req: () => AccessInput,
  ): Promise<void> {
    if (access.kind === 'public' || !config.enabled) return;
    if (!caller.user) throw unauthenticated();
    switch (access.kind) {
      case 'user':
      case 'filtered':
        return;
      case 'admin':
        if (!caller.user.isAdmin || (caller.token?.role != null && caller.token.role !== 'admin'))
          throw permissionDenied();
        return;
      case 'self': {
        if (caller.user.isAdmin && (caller.token?.role == null || caller.token.role === 'admin')) return;
        const named = req().input[access.field];
        if (access.optional && named === undefined) return;
        if (named !== caller.user.username) throw permissionDenied();
        return;
      }
      case 'all':
        for (const part of access.of) await authorize(part, caller, workspace, req);
        return;
    }
    const ws = await workspace();
    const need: Need | 'admin' = access.need;
    authorizer.demand(caller, await levelFor(access, caller, ws, req()), need === 'admin' ? 'manage' : need);
    if (need === 'admin' && (await authorizer.workspaceLevel(caller, ws)) < FULL_ACCESS) throw permissionDenied();
  }

  /** Authenticates the request and checks `access`; answers the caller or throws 401/403. */
  async function check(
    access: Access,
    request: FastifyRequest,
    workspace: () => Promise<Workspace>,
    req: () => AccessInput,
  ): Promise<Caller> {
    const caller = await authenticate(request);
    callers.set(request, caller);
    await authorize(access, caller, workspace, req);
    return caller;
  }

  return { authenticate, authorize, check };
}

export type Guard = ReturnType<typeof createGuard>;
