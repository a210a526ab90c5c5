import { alreadyExists, invalidParam, notFound, TroveError } from '@trove/protocol';
import {
  addGroupMember,
  countAdmins,
  deleteGroupCascade,
  deleteSession,
  deleteUserCascade,
  findApiTokenByHash,
  findGroupByName,
  findSession,
  findUserById,
  findUserByName,
  type GroupRow,
  groupsOfUser,
  insertApiToken,
  insertGroup,
  insertSession,
  insertUser,
  listApiTokens,
  listGroups,
  listUsers,
  membersOfGroup,
  removeGroupMember,
  revokeApiToken,
  runInTransaction,
  type Store,
  touchApiToken,
  type UserRow,
  updateUser,
} from '@trove/store';
import type { AuthConfig } from './auth-config.ts';
import type { Caller, CallerUser } from './caller.ts';
import { CredentialCache } from './credential-cache.ts';
import type { Role } from './levels.ts';
import { DUMMY_HASH, hashPassword, newSecret, sha256, verifyPassword } from './secrets.ts';

export const TOKEN_PREFIX = 'trove_';
const TOUCH_EVERY_MS = 60_000;

export interface TokenSpec {
  name: string;
  workspaceId?: number | null;
  role?: Role | null;
  /** Absolute expiry (ms since epoch); undefined never expires. */
  expiresTime?: number | null;
}

export interface TokenView {
  id: number;
  name: string;
  prefix: string;
  workspace_id: number | null;
  role: string | null;
  creation_time: number;
  expires_time: number | null;
  last_used_time: number | null;
  revoked_time: number | null;
}

function callerUser(row: UserRow): CallerUser {
  return {
    id: Number(row.id),
    username: row.username,
    isAdmin: Number(row.is_admin) === 1,
    kind: row.kind === 'service' ? 'service' : 'user',
  };
}

function validateUsername(username: string | undefined): string {
  if (typeof username !== 'string' || username.trim() === '') throw invalidParam('Username cannot be empty.');
  if (username.length > 256) throw invalidParam('Username must be at most 256 characters.');
  if ([...username].some((c) => c === ':' || c.charCodeAt(0) < 0x20))
    throw invalidParam('Username must not contain ":" or control characters.');
  return username;
}

function validatePassword(password: string | undefined): string {
  if (typeof password !== 'string' || password === '') throw invalidParam('Password cannot be empty.');
  if (password.length > 1024) throw invalidParam('Password must be at most 1024 characters.');
  return password;
}

/** Users, groups, API tokens and sessions: who someone is and how they prove it. */
/** `onForget` runs whenever cached identities are dropped (the authorizer drops its cached grants then). */
export function createIdentityService(store: Store, config: AuthConfig, onForget: () => void = () => {}) {
  const db = store.db;
  const basicCache = new CredentialCache<Caller>(config.credentialCacheMs);
  const tokenCache = new CredentialCache<Caller & { tokenRowId: number; expires: number | null }>(
    config.credentialCacheMs,
  );
  const sessionCache = new CredentialCache<Caller & { expires: number }>(config.credentialCacheMs);
  const lastTouch = new Map<number, number>();
  const forget = () => {
    basicCache.clear();
    tokenCache.clear();
    sessionCache.clear();
    onForget();
  };

  async function groupIdsOf(userId: number): Promise<number[]> {
    return (await groupsOfUser(db, userId)).map((g) => Number(g.id));
  }

  async function getUser(username: string): Promise<UserRow> {
    const row = await findUserByName(db, username);
    if (!row) throw notFound(`User with username=${username} not found`);
    return row;
  }

  async function createUser(
    username: string | undefined,
    password: string | undefined,
    options: { isAdmin?: boolean; kind?: 'user' | 'service'; displayName?: string; email?: string } = {},
  ): Promise<UserRow> {
    const name = validateUsername(username);
    const kind = options.kind ?? 'user';
    // Service accounts authenticate with tokens only.
    const hash = kind === 'service' ? null : await hashPassword(validatePassword(password));
    if (await findUserByName(db, name)) throw alreadyExists(`User (username=${name}) already exists.`);
    try {
      return await insertUser(db, {
        username: name,
        password_hash: hash,
        is_admin: options.isAdmin ? 1 : 0,
        kind,
        display_name: options.displayName ?? null,
        email: options.email ?? null,
        oidc_subject: null,
        creation_time: Date.now(),
        last_login_time: null,
      });
    } catch (e) {
      if (await findUserByName(db, name)) throw alreadyExists(`User (username=${name}) already exists.`);
      throw e;
    }
  }

  /** The first admin, from `TROVE_ADMIN_USERNAME`/`TROVE_ADMIN_PASSWORD`; never a built-in default. */
  async function bootstrapAdmin(): Promise<'created' | 'exists' | 'missing'> {
    const admin = config.bootstrapAdmin;
    if (admin) {
      const existing = await findUserByName(db, admin.username);
      if (existing) return 'exists';
      await createUser(admin.username, admin.password, { isAdmin: true });
      return 'created';
    }
    return (await countAdmins(db)) > 0 ? 'exists' : 'missing';
  }

  /** The user a username and password prove, or undefined; the same work whether or not the user exists. */
  async function verifyBasic(username: string, password: string): Promise<Caller | undefined> {
    const key = sha256(`${username}\u0000${password}`);
    const cached = basicCache.get(key);
    if (cached) return cached;
    const row = await findUserByName(db, username);
    const ok = await verifyPassword(row?.password_hash ?? DUMMY_HASH, password);
    if (!row || !ok || row.password_hash === null) return undefined;
    const user = callerUser(row);
    const caller: Caller = { via: 'basic', user, groupIds: await groupIdsOf(user.id) };
    basicCache.set(key, caller);
    return caller;
  }

  async function verifyToken(secret: string): Promise<Caller | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const key = sha256(secret);
    const now = Date.now();
    let hit = tokenCache.get(key, now);
    if (!hit) {
      const row = await findApiTokenByHash(db, key);
      if (!row || row.revoked_time !== null) return undefined;
      const owner = await findUserById(db, Number(row.user_id));
      if (!owner) return undefined;
      const user = callerUser(owner);
      hit = {
        via: 'bearer',
        user,
        groupIds: await groupIdsOf(user.id),
        token: {
          id: Number(row.id),
          workspaceId: row.workspace_id === null ? null : Number(row.workspace_id),
          role: (row.role as Role | null) ?? null,
        },
        tokenRowId: Number(row.id),
        expires: row.expires_time === null ? null : Number(row.expires_time),
      };
      tokenCache.set(key, hit, now);
    }
    if (hit.expires !== null && hit.expires <= now) return undefined;
    const touched = lastTouch.get(hit.tokenRowId) ?? 0;
    if (now - touched >= TOUCH_EVERY_MS) {
      lastTouch.set(hit.tokenRowId, now);
      touchApiToken(db, hit.tokenRowId, now).catch(() => lastTouch.delete(hit.tokenRowId));
    }
    return hit;
  }

  async function createToken(userId: number, spec: TokenSpec): Promise<{ token: string; view: TokenView }> {
    if (typeof spec.name !== 'string' || spec.name.trim() === '') throw invalidParam('A token needs a name.');
    if (spec.expiresTime != null && spec.expiresTime <= Date.now())
      throw invalidParam('expires_time must be in the future.');
    const token = newSecret(TOKEN_PREFIX);
    const row = await insertApiToken(db, {
      user_id: userId,
      name: spec.name,
      token_hash: sha256(token),
      token_prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      workspace_id: spec.workspaceId ?? null,
      role: spec.role ?? null,
      creation_time: Date.now(),
      expires_time: spec.expiresTime ?? null,
      last_used_time: null,
      revoked_time: null,
    });
    return { token, view: tokenView(row) };
  }

  function tokenView(row: Awaited<ReturnType<typeof listApiTokens>>[number]): TokenView {
    const n = (v: number | null) => (v === null ? null : Number(v));
    return {
      id: Number(row.id),
      name: row.name,
      prefix: row.token_prefix,
      workspace_id: n(row.workspace_id),
      role: row.role,
      creation_time: Number(row.creation_time),
      expires_time: n(row.expires_time),
      last_used_time: n(row.last_used_time),
      revoked_time: n(row.revoked_time),
    };
  }

  async function tokensOf(userId: number): Promise<TokenView[]> {
    return (await listApiTokens(db, userId)).map(tokenView);
  }

  async function revokeToken(userId: number, id: number): Promise<void> {
    if (!(await revokeApiToken(db, userId, id, Date.now()))) throw notFound(`Token ${id} not found`);
    forget();
  }

  async function createSession(userId: number): Promise<{ secret: string; csrf: string; expires: number }> {
    const secret = newSecret();
    const csrf = newSecret();
    const now = Date.now();
    const expires = now + config.sessionTtlMs;
    await insertSession(db, {
      id_hash: sha256(secret),
      user_id: userId,
      csrf_token: csrf,
      creation_time: now,
      expires_time: expires,
    });
    await updateUser(db, userId, { last_login_time: now });
    return { secret, csrf, expires };
  }

  async function verifySession(secret: string): Promise<Caller | undefined> {
    const key = sha256(secret);
    const now = Date.now();
    let hit = sessionCache.get(key, now);
    if (!hit) {
      const row = await findSession(db, key);
      if (!row) return undefined;
      const owner = await findUserById(db, Number(row.user_id));
      if (!owner) return undefined;
      const user = callerUser(owner);
      hit = {
        via: 'session',
        user,
        groupIds: await groupIdsOf(user.id),
        csrf: row.csrf_token,
        expires: Number(row.expires_time),
      };
      sessionCache.set(key, hit, now);
    }
    return hit.expires > now ? hit : undefined;
  }

  async function endSession(secret: string): Promise<void> {
    await deleteSession(db, sha256(secret));
    forget();
  }

  async function updatePassword(username: string, password: string | undefined): Promise<void> {
    const row = await getUser(username);
    await updateUser(db, Number(row.id), { password_hash: await hashPassword(validatePassword(password)) });
    forget();
  }

  async function setAdmin(username: string, isAdmin: boolean): Promise<void> {
    const row = await getUser(username);
    await updateUser(db, Number(row.id), { is_admin: isAdmin ? 1 : 0 });
    forget();
  }

  async function deleteUser(username: string): Promise<void> {
    const row = await getUser(username);
    await runInTransaction(store, (tx) => deleteUserCascade(tx, Number(row.id)));
    forget();
  }

  async function getGroup(name: string): Promise<GroupRow> {
    const row = await findGroupByName(db, name);
    if (!row) throw notFound(`Group '${name}' not found`);
    return row;
  }

  async function createGroup(name: string | undefined, description?: string): Promise<GroupRow> {
    if (typeof name !== 'string' || name.trim() === '') throw invalidParam('Group name cannot be empty.');
    if (await findGroupByName(db, name)) throw alreadyExists(`Group '${name}' already exists.`);
    return insertGroup(db, name, description ?? null, Date.now());
  }

  async function deleteGroup(name: string): Promise<void> {
    const row = await getGroup(name);
    await runInTransaction(store, (tx) => deleteGroupCascade(tx, Number(row.id)));
    forget();
  }

  async function addMember(group: string, username: string): Promise<void> {
    const [g, u] = [await getGroup(group), await getUser(username)];
    await addGroupMember(db, Number(g.id), Number(u.id));
    forget();
  }

  async function removeMember(group: string, username: string): Promise<void> {
    const [g, u] = [await getGroup(group), await getUser(username)];
    await removeGroupMember(db, Number(g.id), Number(u.id));
    forget();
  }

  async function groupsWithMembers(): Promise<{ name: string; description: string | null; members: string[] }[]> {
    const groups = await listGroups(db);
    return Promise.all(
      groups.map(async (g) => ({
        name: g.name,
        description: g.description,
        members: await membersOfGroup(db, Number(g.id)),
      })),
    );
  }

  function requireUser(caller: Caller): CallerUser {
    if (!caller.user) throw new TroveError('UNAUTHENTICATED', 'You are not signed in.');
    return caller.user;
  }

  return {
    getUser,
    listUsers: () => listUsers(db),
    createUser,
    bootstrapAdmin,
    verifyBasic,
    verifyToken,
    createToken,
    tokensOf,
    revokeToken,
    createSession,
    verifySession,
    endSession,
    updatePassword,
    setAdmin,
    deleteUser,
    getGroup,
    createGroup,
    deleteGroup,
    addMember,
    removeMember,
    groupsWithMembers,
    groupsOf: (userId: number) => groupsOfUser(db, userId),
    requireUser,
    forget,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
