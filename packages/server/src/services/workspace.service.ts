import { invalidParam, notFound, TroveError, type Workspaces } from '@trove/protocol';
import {
  findWorkspaceByName,
  insertExperiment,
  insertWorkspace,
  listWorkspaces,
  runInTransaction,
  type Store,
  setDefaultExperiment,
  setExperimentArtifactLocation,
} from '@trove/store';

/** A workspace as services use it and the native API answers it (one shape, in @trove/protocol). */
export type Workspace = Workspaces.Workspace;

export const DEFAULT_WORKSPACE = 'default';
const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * How long a replica may keep answering with a workspace it has looked up. Every request resolves
 * its workspace, so the name → row lookup is cached; the database stays the truth, and a workspace
 * renamed, deleted or re-created by anyone else (another replica, an operator) is seen by this
 * process within this bound (docs/deployment.md, *What a replica may see stale*).
 */
export const WORKSPACE_CACHE_TTL_MS = 5_000;

/** Positive lookups are cached for `WORKSPACE_CACHE_TTL_MS`; unknown names are always re-read from the database. */
export function createWorkspaceService(store: Store, defaultArtifactRoot: string) {
  const cache = new Map<string, { ws: Workspace; until: number }>();

  async function resolve(name: string | undefined): Promise<Workspace> {
    const key = name ?? DEFAULT_WORKSPACE;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.ws;
    const row = await findWorkspaceByName(store.db, key);
    if (!row || row.default_experiment_id === null) {
      cache.delete(key);
      throw notFound(`Workspace '${key}' does not exist.`);
    }
    const ws = toWorkspace(row as typeof row & { default_experiment_id: number });
    cache.set(key, { ws, until: now + WORKSPACE_CACHE_TTL_MS });
    return ws;
  }

  async function create(name: string, description?: string): Promise<Workspace> {
    if (!NAME_RE.test(name)) {
      throw invalidParam(
        `Invalid workspace name '${name}': use 1-63 lowercase letters, digits and dashes, starting with a letter or digit.`,
      );
    }
    const now = Date.now();
    await runInTransaction(store, async (tx) => {
      const existing = await findWorkspaceByName(tx, name);
      if (existing) throw new TroveError('RESOURCE_ALREADY_EXISTS', `Workspace '${name}' already exists.`);
      const id = await insertWorkspace(tx, name, description ?? null, now);
      const expId = await insertExperiment(tx, { workspaceId: id, name: 'Default', artifactLocation: '', now });
      await setExperimentArtifactLocation(tx, expId, joinUri(defaultArtifactRoot, String(expId)));
      await setDefaultExperiment(tx, id, expId);
    });
    return resolve(name);
  }

  async function list(): Promise<Workspace[]> {
    const rows = await listWorkspaces(store.db);
    return rows
      .filter((r) => r.default_experiment_id !== null)
      .map((r) => toWorkspace(r as typeof r & { default_experiment_id: number }));
  }

  /** Creates workspace `default` with experiment 0 (`Default`) on a fresh database. */
  async function bootstrap(): Promise<void> {
    try {
      await insertDefault();
    } catch (e) {
      // Several processes starting on a fresh database race here; the loser finds it created.
      if (await findWorkspaceByName(store.db, DEFAULT_WORKSPACE)) return;
      throw e;
    }
  }

  async function insertDefault(): Promise<void> {
    await runInTransaction(store, async (tx) => {
      if (await findWorkspaceByName(tx, DEFAULT_WORKSPACE)) return;
      const now = Date.now();
      const id = await insertWorkspace(tx, DEFAULT_WORKSPACE, 'The workspace served at the root URL', now);
      await insertExperiment(tx, {
        experimentId: 0,
        workspaceId: id,
        name: 'Default',
        artifactLocation: joinUri(defaultArtifactRoot, '0'),
        now,
      });
      await setDefaultExperiment(tx, id, 0);
    });
  }

  return { resolve, create, list, bootstrap };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;

function toWorkspace(row: {
  id: number;
  name: string;
  description: string | null;
  creation_time: number;
  default_experiment_id: number;
}): Workspace {
  const ws: Workspace = {
    id: Number(row.id),
    name: row.name,
    creation_time: row.creation_time,
    default_experiment_id: Number(row.default_experiment_id),
  };
  if (row.description) ws.description = row.description;
  return ws;
}

/** Joins an artifact root URI and a relative path with exactly one slash. */
export function joinUri(root: string, path: string): string {
  return `${root.replace(/\/+$/, '')}/${path}`;
}
