import { Identity, invalidParam, notFound, TroveError } from '@trove/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Caller } from '../auth/caller.ts';
import { callerOf } from '../auth/guard.ts';
import { parseRole } from '../auth/levels.ts';
import { type Access, ADMIN, PUBLIC, routeKey, USER } from '../auth/route-access.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../auth/session-cookie.ts';
import { decodeInput, type HttpMethod, type Router, sendJson } from '../http/router.ts';
import type { Services } from '../services/index.ts';

const DAY_MS = 86_400_000;

function exactlyOneTarget(input: { experiment_id?: string; registered_model?: string }): void {
  if ((input.experiment_id === undefined) === (input.registered_model === undefined))
    throw invalidParam('Name exactly one of experiment_id and registered_model.');
}

/** A time bound as a safe integer: bounds past ±2^53 ms (year 287396) select what the extreme would. */
function clampTime(t: number | bigint): number {
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number(t)));
}

function exactlyOnePrincipal(input: { username?: string; group?: string }): void {
  if ((input.username === undefined) === (input.group === undefined))
    throw invalidParam('Name exactly one of username and group.');
}
const workspaceAdmin: Access = { kind: 'workspace', need: 'admin' };
const workspaceManage: Access = { kind: 'workspace', need: 'manage' };

/**
 * Trove's identity API: sign-in with a session cookie, the caller's API tokens, and (admins)
 * users, groups, workspace members, grants and the audit log.
 */
export function registerIdentityRoutes(r: Router, services: Services): void {
  const { identity, grants, audit, config, throttle } = services.auth;
  const server = (method: HttpMethod, path: string, access: Access) => ({
    method,
    path,
    api: 'trove-server' as const,
    access,
  });

  async function me(caller: Caller, csrf?: string): Promise<Identity.MeResponse> {
    if (!config.enabled) return { auth_enabled: false };
    const sso = config.sso && { login_url: config.sso.loginPath, name: config.sso.name };
    if (!caller.user) return { auth_enabled: true, sso };
    const groups = await identity.groupsOf(caller.user.id);
    return {
      auth_enabled: true,
      user: {
        id: caller.user.id,
        username: caller.user.username,
        is_admin: caller.user.isAdmin,
        kind: caller.user.kind,
        groups: groups.map((g) => g.name),
      },
      csrf_token: csrf ?? caller.csrf,
      sso,
    };
  }

  r.json({ ...server('GET', '/auth/me', PUBLIC), spec: Identity.Empty }, async ({ caller }) => me(caller));

  r.raw(
    'POST',
    '/auth/login',
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!config.enabled) throw invalidParam('Authentication is off on this server; there is nothing to sign in to.');
      const input = decodeInput(Identity.Login, request, 'trove-server');
      throttle.check(input.username, request.ip);
      const caller = await identity.verifyBasic(input.username, input.password);
      // Sign-ins are audited, failed ones too: the router audits no public route itself.
      const what = { action: routeKey('trove-server', 'POST', '/auth/login'), resourceType: 'user' };
      if (!caller?.user) {
        throttle.failed(input.username, request.ip);
        const error = new TroveError('UNAUTHENTICATED', 'Wrong username or password.');
        await audit.refused({ ...what, resourceId: input.username }, request, ANONYMOUS, error);
        throw error;
      }
      throttle.succeeded(input.username);
      const user = caller.user;
      const session = await audit.audited({ ...what, resourceId: user.username }, request, caller, undefined, () =>
        identity.createSession(user.id),
      );
      setSessionCookie(request, reply, session.secret, config.sessionTtlMs);
      return sendJson(reply, await me({ ...caller, via: 'session' }, session.csrf));
    },
    { api: 'trove-server', access: PUBLIC },
  );

  r.raw(
    'POST',
    '/auth/logout',
    async (request: FastifyRequest, reply: FastifyReply) => {
      const secret = readSessionCookie(request);
      const caller = callerOf(request);
      if (secret !== undefined && caller.user) {
        const what = {
          action: routeKey('trove-server', 'POST', '/auth/logout'),
          resourceType: 'user',
          resourceId: caller.user.username,
        };
        await audit.audited(what, request, caller, undefined, () => identity.endSession(secret));
      } else if (secret !== undefined) await identity.endSession(secret);
      clearSessionCookie(request, reply);
      return sendJson(reply, {});
    },
    { api: 'trove-server', access: PUBLIC },
  );

  // The caller's own API tokens.
  r.json({ ...server('GET', '/auth/tokens', USER), spec: Identity.Empty }, async ({ caller }) => ({
    tokens: await identity.tokensOf(identity.requireUser(caller).id),
  }));
  r.json({ ...server('POST', '/auth/tokens', USER), spec: Identity.CreateToken }, async ({ caller, input }) => {
    const user = identity.requireUser(caller);
    const workspace = input.workspace === undefined ? null : await services.workspaces.resolve(input.workspace);
    const days = input.expires_in_days === undefined ? undefined : Number(input.expires_in_days);
    if (days !== undefined && !(days >= 1 && days <= 3650))
      throw invalidParam('expires_in_days must be between 1 and 3650.');
    // A token never holds more than its owner: a token's role is a cap, checked with the owner's own rights.
    const { token, view } = await identity.createToken(user.id, {
      name: input.name,
      workspaceId: workspace?.id ?? null,
      role: input.role === undefined ? null : parseRole(input.role),
      expiresTime: days === undefined ? null : Date.now() + days * DAY_MS,
    });
    return { token, token_info: view };
  });
  r.json({ ...server('DELETE', '/auth/tokens/:token_id', USER), spec: Identity.Empty }, async ({ caller, params }) => {
    // Ids past 2^53 (or int64) name no token: refused here, not by the database.
    if (!/^\d{1,15}$/.test(params.token_id)) throw notFound(`Token ${params.token_id} not found`);
    const id = Number(params.token_id);
    await identity.revokeToken(identity.requireUser(caller).id, id);
  });

  // Users and groups (server admins).
  r.json({ ...server('GET', '/admin/users', ADMIN), spec: Identity.Empty }, async () => ({
    users: (await identity.listUsers()).map((u) => ({
      id: Number(u.id),
      username: u.username,
      is_admin: Number(u.is_admin) === 1,
      kind: u.kind,
      display_name: u.display_name,
      email: u.email,
      sso: u.oidc_subject !== null,
      creation_time: Number(u.creation_time),
      last_login_time: u.last_login_time === null ? null : Number(u.last_login_time),
    })),
  }));
  r.json({ ...server('POST', '/admin/users', ADMIN), spec: Identity.CreateUser }, async ({ input }) => {
    const row = await identity.createUser(input.username, input.password, {
      isAdmin: input.is_admin === true,
      kind: input.service_account ? 'service' : 'user',
      displayName: input.display_name,
      email: input.email,
    });
    return {
      user: { id: Number(row.id), username: row.username, is_admin: Number(row.is_admin) === 1, kind: row.kind },
    };
  });
  r.json(
    { ...server('PATCH', '/admin/users/:username', ADMIN), spec: Identity.UpdateUser },
    async ({ input, params }) => {
      if (input.password !== undefined) await identity.updatePassword(params.username, input.password);
      if (input.is_admin !== undefined) await identity.setAdmin(params.username, input.is_admin);
    },
  );
  r.json({ ...server('DELETE', '/admin/users/:username', ADMIN), spec: Identity.Empty }, async ({ params }) =>
    identity.deleteUser(params.username),
  );
  r.json({ ...server('GET', '/admin/groups', ADMIN), spec: Identity.Empty }, async () => ({
    groups: await identity.groupsWithMembers(),
  }));
  r.json({ ...server('POST', '/admin/groups', ADMIN), spec: Identity.CreateGroup }, async ({ input }) => {
    const g = await identity.createGroup(input.name, input.description);
    return { group: { name: g.name, description: g.description, members: [] } };
  });
  r.json({ ...server('DELETE', '/admin/groups/:name', ADMIN), spec: Identity.Empty }, async ({ params }) =>
    identity.deleteGroup(params.name),
  );
  r.json(
    { ...server('POST', '/admin/groups/:name/members', ADMIN), spec: Identity.GroupMember },
    async ({ params, input }) => identity.addMember(params.name, input.username),
  );
  r.json(
    { ...server('DELETE', '/admin/groups/:name/members/:username', ADMIN), spec: Identity.Empty },
    async ({ params }) => identity.removeMember(params.name, params.username),
  );

  // Workspace members and grants.
  const ws = (method: HttpMethod, path: string, access: Access) => ({ method, path, api: 'trove' as const, access });
  r.json({ ...ws('GET', '/members', workspaceManage), spec: Identity.Empty }, async ({ workspace }) => ({
    members: await grants.members(workspace),
  }));
  r.json({ ...ws('PUT', '/members', workspaceAdmin), spec: Identity.SetMember }, async ({ workspace, input }) =>
    grants.setMember(workspace, input),
  );
  r.json({ ...ws('DELETE', '/members', workspaceAdmin), spec: Identity.RemoveMember }, async ({ workspace, input }) =>
    grants.removeMember(workspace, input),
  );
  r.json({ ...ws('PUT', '/grants', workspaceManage), spec: Identity.Grant }, async ({ workspace, input }) => {
    exactlyOneTarget(input);
    exactlyOnePrincipal(input);
    await grants.grant(workspace, input);
  });
  r.json({ ...ws('GET', '/grants', workspaceManage), spec: Identity.GrantTarget }, async ({ workspace, input }) => {
    exactlyOneTarget(input);
    return { grants: await grants.grantsOn(workspace, input) };
  });
  r.json({ ...ws('DELETE', '/grants', workspaceManage), spec: Identity.Revoke }, async ({ workspace, input }) => {
    exactlyOneTarget(input);
    exactlyOnePrincipal(input);
    await grants.revoke(workspace, input);
  });

  // The audit log (server admins): newest first, keyset-paged; `format=jsonl` exports JSON lines.
  r.raw(
    'GET',
    '/audit',
    async (request: FastifyRequest, reply: FastifyReply) => {
      const input = decodeInput(Identity.SearchAudit, request, 'trove-server');
      const max = input.max_results === undefined ? 100 : Number(input.max_results);
      if (!(max >= 1 && max <= 10_000)) throw invalidParam('max_results must be between 1 and 10000.');
      if (input.page_token !== undefined && !/^\d{1,15}$/.test(input.page_token))
        throw invalidParam('Invalid page_token.');
      const before = input.page_token === undefined ? undefined : Number(input.page_token);
      const rows = await audit.search({
        actor: input.actor,
        action: input.action,
        resourceType: input.resource_type,
        resourceId: input.resource_id,
        since: input.since === undefined ? undefined : clampTime(input.since),
        until: input.until === undefined ? undefined : clampTime(input.until),
        before,
        limit: max,
      });
      const entries = rows.map((row) => ({
        id: Number(row.id),
        time: Number(row.time),
        workspace_id: row.workspace_id === null ? null : Number(row.workspace_id),
        actor: row.actor,
        address: row.address,
        request_id: row.request_id,
        action: row.action,
        resource_type: row.resource_type,
        resource_id: row.resource_id,
        status: row.status === null ? null : Number(row.status),
        before: row.before_value === null ? null : JSON.parse(row.before_value),
        after: row.after_value === null ? null : JSON.parse(row.after_value),
      }));
      const next = rows.length === max ? String(entries[entries.length - 1].id) : undefined;
      if (input.format === 'jsonl') {
        if (next !== undefined) reply.header('x-next-page-token', next);
        return reply
          .type('application/x-ndjson')
          .send(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
      }
      return sendJson(reply, { entries, next_page_token: next });
    },
    { api: 'trove-server', access: ADMIN },
  );
}
