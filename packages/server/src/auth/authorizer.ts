import { TroveError } from '@trove/protocol';
import {
  type ExperimentGrant,
  experimentGrantsOf,
  findComment,
  findLoggedModel,
  findRegisteredModelName,
  findRunByUuid,
  findSavedView,
  findTrace,
  type ModelGrant,
  modelGrantsOf,
  type Principal,
  type Store,
  type Visibility,
  type WorkspaceRoleRow,
  workspaceRolesOf,
} from '@trove/store';
import type { Workspace } from '../services/workspace.service.ts';
import type { AuthConfig } from './auth-config.ts';
import type { Caller } from './caller.ts';
import { CredentialCache } from './credential-cache.ts';
import { experimentGrantKey } from './experiment-key.ts';
import {
  FULL_ACCESS,
  type Level,
  type Need,
  NO_ACCESS,
  needLevel,
  permissionLevel,
  type Role,
  roleLevel,
} from './levels.ts';

export const NOT_AUTHENTICATED_MESSAGE =
  'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.';

export const unauthenticated = () => new TroveError('UNAUTHENTICATED', NOT_AUTHENTICATED_MESSAGE);
export const permissionDenied = () => new TroveError('PERMISSION_DENIED', 'Permission denied.');

function principalsOf(caller: Caller): Principal[] {
  if (!caller.user) return [];
  return [{ kind: 'user', id: caller.user.id }, ...caller.groupIds.map((id) => ({ kind: 'group' as const, id }))];
}

interface Held {
  experiments: Map<string, ExperimentGrant[]>;
  /** Keyed by `<workspace id>\u0000<model name>`. */
  models: Map<string, ModelGrant[]>;
  roles: WorkspaceRoleRow[];
}

const maxLevel = (levels: Level[]): Level => levels.reduce<Level>((a, b) => (b > a ? b : a), NO_ACCESS);

/**
 * Decides what a caller may do. A permission on an experiment or a registered model comes from,
 * in order: the user's own grant; else the best grant of the user's groups; else the best role
 * the user or their groups hold in the workspace; else the configured default permission. Server
 * admins may do everything. An API token caps all of it at its role and confines it to its
 * workspace. With auth off, everyone may do everything.
 */
export function createAuthorizer(store: Store, config: AuthConfig) {
  const db = store.db;
  // Grants and roles of a caller's principals, read once per cache period rather than per request
  // (the small log-batch path must not pay queries for them); any grant change clears it.
  const held = new CredentialCache<Promise<Held>>(config.credentialCacheMs);
  // A run never moves to another experiment.
  const runExperiments = new Map<string, string>();

  function heldBy(caller: Caller): Promise<Held> {
    const principals = principalsOf(caller);
    const key = principals.map((p) => `${p.kind}:${p.id}`).join(',');
    let hit = held.get(key);
    if (!hit) {
      hit = loadHeld(principals);
      hit.catch(() => held.clear());
      held.set(key, hit);
    }
    return hit;
  }

  async function loadHeld(principals: Principal[]): Promise<Held> {
    const [experiments, models, roles] = await Promise.all([
      experimentGrantsOf(db, principals),
      modelGrantsOf(db, undefined, principals),
      workspaceRolesOf(db, principals),
    ]);
    const group = <T, K>(items: T[], keyOf: (t: T) => K) => {
      const out = new Map<K, T[]>();
      for (const item of items) out.set(keyOf(item), [...(out.get(keyOf(item)) ?? []), item]);
      return out;
    };
    return {
      experiments: group(experiments, (g) => g.experimentId),
      models: group(models, (g) => `${g.workspaceId}\u0000${g.name}`),
      roles,
    };
  }

  function capped(caller: Caller, ws: Workspace, level: Level): Level {
    const token = caller.token;
    if (token === undefined) return level;
    if (token.workspaceId !== null && token.workspaceId !== ws.id) return NO_ACCESS;
    return token.role === null ? level : (Math.min(level, roleLevel(token.role)) as Level);
  }

  /** The role-derived level in a workspace, and whether any membership (not the default) gave it. */
  async function membership(caller: Caller, ws: Workspace): Promise<{ level: Level; member: boolean }> {
    const roles = (await heldBy(caller)).roles.filter((r) => r.workspaceId === ws.id);
    if (roles.length > 0) return { level: maxLevel(roles.map((r) => roleLevel(r.role as Role))), member: true };
    return { level: config.defaultRole === 'none' ? NO_ACCESS : roleLevel(config.defaultRole), member: false };
  }

  /** The level on resources nobody granted anything on: the membership role, else the default permission. */
  async function baseline(caller: Caller, ws: Workspace): Promise<Level> {
    const m = await membership(caller, ws);
    return m.member ? (Math.min(m.level, 3) as Level) : permissionLevel(config.defaultPermission);
  }

  function fromGrants(grants: { kind: string; permission: string }[]): Level | undefined {
    const own = grants.find((g) => g.kind === 'user');
    if (own) return permissionLevel(own.permission as never);
    if (grants.length === 0) return undefined;
    return maxLevel(grants.map((g) => permissionLevel(g.permission as never)));
  }

  async function workspaceLevel(caller: Caller, ws: Workspace): Promise<Level> {
    if (!config.enabled) return FULL_ACCESS;
    if (!caller.user) return NO_ACCESS;
    if (caller.user.isAdmin) return capped(caller, ws, FULL_ACCESS);
    return capped(caller, ws, (await membership(caller, ws)).level);
  }

  /** `key`: the experiment's grant key ({@link experimentKey}). */
  async function experimentLevel(caller: Caller, ws: Workspace, key: string): Promise<Level> {
    if (!config.enabled) return FULL_ACCESS;
    if (!caller.user) return NO_ACCESS;
    if (caller.user.isAdmin) return capped(caller, ws, FULL_ACCESS);
    const granted = fromGrants((await heldBy(caller)).experiments.get(key) ?? []);
    return capped(caller, ws, granted ?? (await baseline(caller, ws)));
  }

  async function modelLevel(caller: Caller, ws: Workspace, name: string): Promise<Level> {
    if (!config.enabled) return FULL_ACCESS;
    if (!caller.user) return NO_ACCESS;
    if (caller.user.isAdmin) return capped(caller, ws, FULL_ACCESS);
    const granted = fromGrants((await heldBy(caller)).models.get(`${ws.id}\u0000${name}`) ?? []);
    return capped(caller, ws, granted ?? (await baseline(caller, ws)));
  }

  async function runExperiment(runId: string | undefined): Promise<string | undefined> {
    if (runId === undefined || runId === '') return undefined;
    const known = runExperiments.get(runId);
    if (known !== undefined) return known;
    const run = await findRunByUuid(db, runId);
    if (run === undefined) return undefined;
    if (runExperiments.size >= 100_000) runExperiments.clear();
    runExperiments.set(runId, String(run.experiment_id));
    return String(run.experiment_id);
  }

  async function loggedModelExperiment(ws: Workspace, modelId: string | undefined): Promise<string | undefined> {
    if (modelId === undefined) return undefined;
    const row = await findLoggedModel(db, modelId);
    return row === undefined || Number(row.workspace_id) !== ws.id ? undefined : String(row.experiment_id);
  }

  async function traceExperiment(ws: Workspace, traceId: string | undefined): Promise<string | undefined> {
    if (traceId === undefined || traceId === '') return undefined;
    const row = await findTrace(db, traceId);
    return row === undefined || Number(row.workspace_id) !== ws.id ? undefined : String(row.experiment_id);
  }

  const rowId = (id: string | undefined) => (id !== undefined && /^\d{1,15}$/.test(id) ? Number(id) : undefined);

  /** A saved view's owner and experiment; undefined when `ws` has no such view (the handler's 404). */
  async function savedViewOf(ws: Workspace, viewId: string | undefined) {
    const id = rowId(viewId);
    const row = id === undefined ? undefined : await findSavedView(db, ws.id, id);
    return row === undefined ? undefined : { owner: row.owner, experiment: String(row.experiment_id) };
  }

  /** A comment's author and what it hangs on: a run's experiment, or a registered model. */
  async function commentOf(ws: Workspace, commentId: string | undefined) {
    const id = rowId(commentId);
    const row = id === undefined ? undefined : await findComment(db, ws.id, id);
    if (row === undefined) return undefined;
    if (row.run_uuid !== null) return { author: row.author, experiment: await runExperiment(row.run_uuid) };
    const model = row.model_id === null ? undefined : await findRegisteredModelName(db, row.model_id);
    return { author: row.author, model };
  }

  /** Throws 401 for an anonymous caller and 403 for one below `need`. */
  function demand(caller: Caller, level: Level, need: Need): void {
    if (!config.enabled) return;
    if (!caller.user) throw unauthenticated();
    if (level < needLevel(need)) throw permissionDenied();
  }

  /** Whether a caller sees everything of a kind (auth off, admins) — then no visibility filter applies. */
  function seesAll(caller: Caller): boolean {
    return !config.enabled || caller.user?.isAdmin === true;
  }

  async function visibleExperiments(caller: Caller, ws: Workspace): Promise<Visibility<number> | undefined> {
    if (seesAll(caller) && caller.token?.workspaceId == null) return undefined;
    if (capped(caller, ws, FULL_ACCESS) === NO_ACCESS) return { only: [] };
    if (seesAll(caller)) return undefined;
    const base = capped(caller, ws, await baseline(caller, ws));
    const byExperiment = (await heldBy(caller)).experiments;
    const readable = (grants: { kind: string; permission: string }[]) =>
      capped(caller, ws, fromGrants(grants) ?? base) >= 1;
    // Keys that name no experiment (MLflow lets grants name any id) select nothing.
    const ids = [...byExperiment.entries()].filter(([key]) => /^\d{1,18}$/.test(key));
    const numbers = (list: typeof ids) => list.map(([key]) => Number(key));
    return base >= 1
      ? { except: numbers(ids.filter(([, g]) => !readable(g))) }
      : { only: numbers(ids.filter(([, g]) => readable(g))) };
  }

  async function visibleModels(caller: Caller, ws: Workspace): Promise<Visibility<string> | undefined> {
    if (seesAll(caller) && caller.token?.workspaceId == null) return undefined;
    if (capped(caller, ws, FULL_ACCESS) === NO_ACCESS) return { only: [] };
    if (seesAll(caller)) return undefined;
    const base = capped(caller, ws, await baseline(caller, ws));
    const prefix = `${ws.id}\u0000`;
    const byName = new Map(
      [...(await heldBy(caller)).models.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, grants]) => [key.slice(prefix.length), grants] as const),
    );
    const readable = (grants: { kind: string; permission: string }[]) =>
      capped(caller, ws, fromGrants(grants) ?? base) >= 1;
    const names = [...byName.entries()];
    return base >= 1
      ? { except: names.filter(([, g]) => !readable(g)).map(([n]) => n) }
      : { only: names.filter(([, g]) => readable(g)).map(([n]) => n) };
  }

  return {
    enabled: config.enabled,
    /** Forget cached grants and roles (after any grant, membership or group change). */
    forget: () => held.clear(),
    workspaceLevel,
    experimentLevel,
    modelLevel,
    experimentKey: experimentGrantKey,
    runExperiment,
    loggedModelExperiment,
    traceExperiment,
    savedViewOf,
    commentOf,
    demand,
    visibleExperiments,
    visibleModels,
  };
}

export type Authorizer = ReturnType<typeof createAuthorizer>;
