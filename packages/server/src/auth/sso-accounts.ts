import { TroveError } from '@trove/protocol';
import {
  findGroupByName,
  findUserByName,
  findUserBySubject,
  findWorkspaceByName,
  insertGroup,
  insertUser,
  runInTransaction,
  type Store,
  type StoreDb,
  setUserGroups,
  updateUser,
  upsertWorkspaceRole,
} from '@trove/store';
import type { SsoClaims } from './oidc-relying-party.ts';
import type { SsoConfig } from './sso-config.ts';

/** Who a verified sign-in turned out to be, and what it changed. */
export interface SsoAccount {
  userId: number;
  username: string;
  isAdmin: boolean;
  created: boolean;
  /** The groups the provider named; undefined when groups are not synced. */
  groups: string[] | undefined;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

const MAX_USERNAME = 200;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** A claim by name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`). */
function claim(claims: SsoClaims, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The groups a claim lists (a list, or one string); undefined when the claim is absent. */
export function groupsOf(claims: SsoClaims, name: string): string[] | undefined {
  const value = claim(claims, name);
  if (typeof value === 'string') return text(value) ? [value.trim()] : [];
  if (!Array.isArray(value)) return undefined;
  return [...new Set(value.map(text).filter((g): g is string => g !== undefined))];
}

/** A username Trove accepts (no ':', no control characters), from what the provider calls the user. */
export function usernameBase(claims: SsoClaims): string {
  const raw = text(claims.preferred_username) ?? text(claims.email) ?? claims.sub;
  const clean = [...raw]
    .filter((c) => c !== ':' && c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, MAX_USERNAME);
  return clean === '' ? 'user' : clean;
}

/** `base`, else `base-2`, `base-3`, …: a local user of the same name is never taken over. */
async function freeUsername(tx: StoreDb, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await findUserByName(tx, candidate))) return candidate;
  }
}

async function groupIds(tx: StoreDb, names: string[], now: number): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const name of names) {
    const row = (await findGroupByName(tx, name)) ?? (await insertGroup(tx, name, 'From single sign-on', now));
    ids.set(name, Number(row.id));
  }
  return ids;
}

/**
 * Finds or creates the Trove user of a verified OpenID Connect sign-in, by its subject, and brings
 * their groups, admin flag and mapped workspace roles in line with the provider's claims.
 */
export function createSsoAccounts(store: Store, sso: SsoConfig, log: Logger) {
  async function provision(tx: StoreDb, claims: SsoClaims, groups: string[] | undefined): Promise<SsoAccount> {
    const now = Date.now();
    const profile = { email: text(claims.email) ?? null, display_name: text(claims.name) ?? null };
    const admin =
      groups !== undefined && sso.adminGroups.length > 0 ? sso.adminGroups.some((g) => groups.includes(g)) : undefined;
    let row = await findUserBySubject(tx, claims.sub);
    const created = row === undefined;
    if (row === undefined) {
      row = await insertUser(tx, {
        username: await freeUsername(tx, usernameBase(claims)),
        // SSO users sign in through the provider only; they use API tokens for clients.
        password_hash: null,
        is_admin: admin ? 1 : 0,
        kind: 'user',
        ...profile,
        oidc_subject: claims.sub,
        creation_time: now,
        last_login_time: null,
      });
    } else {
      await updateUser(tx, Number(row.id), { ...profile, ...(admin === undefined ? {} : { is_admin: admin ? 1 : 0 }) });
    }
    const userId = Number(row.id);
    if (groups !== undefined) {
      const ids = await groupIds(tx, groups, now);
      await setUserGroups(tx, userId, [...ids.values()]);
      for (const m of sso.roleMap) {
        const groupId = ids.get(m.group);
        if (groupId === undefined) continue;
        const ws = await findWorkspaceByName(tx, m.workspace);
        if (ws === undefined)
          log.warn({ workspace: m.workspace }, 'TROVE_OIDC_ROLE_MAP names a workspace that does not exist');
        else await upsertWorkspaceRole(tx, Number(ws.id), { kind: 'group', id: groupId }, m.role);
      }
    }
    return {
      userId,
      username: row.username,
      isAdmin: admin ?? Number(row.is_admin) === 1,
      created,
      groups,
    };
  }

  async function signIn(claims: SsoClaims): Promise<SsoAccount> {
    if (typeof claims.sub !== 'string' || claims.sub === '')
      throw new TroveError('UNAUTHENTICATED', 'The sign-in provider named no subject.');
    const named = sso.groupsClaim === undefined ? undefined : groupsOf(claims, sso.groupsClaim);
    if (sso.groupsClaim !== undefined && named === undefined)
      log.warn(
        { claim: sso.groupsClaim, subject: claims.sub },
        'The provider sent no groups claim: the user is in no group (ask for the groups scope, or set TROVE_OIDC_GROUPS_CLAIM)',
      );
    const groups = sso.groupsClaim === undefined ? undefined : (named ?? []);
    // Two first sign-ins of one subject (or two new groups of one name) race on unique keys; the loser's retry finds the winner's rows.
    for (let attempt = 1; ; attempt++) {
      try {
        return await runInTransaction(store, (tx) => provision(tx, claims, groups));
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
  }

  return { signIn };
}

export type SsoAccounts = ReturnType<typeof createSsoAccounts>;
