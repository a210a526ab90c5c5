import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
  type ArtifactEntry,
  type ArtifactRead,
  type ArtifactStore,
  type ByteRange,
  findByMlflowClientView,
  joinKey,
  LocalArtifactStore,
  safeArtifactPath,
} from '@trove/artifacts';
import { type FileInfo, invalidParam, notFound, TroveError } from '@trove/protocol';
import { findExperimentWorkspaceId, findLoggedModelArtifactRoot, type Store } from '@trove/store';
import type { ServerConfig } from '../config.ts';
import { isInside, localArtifactPath } from './local-artifact-root.ts';
import { createMultipartUploadService } from './multipart-upload.service.ts';
import type { RunService } from './run.service.ts';
import type { Workspace } from './workspace.service.ts';

const PROXY_URI = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/;
const HTTP_PROXY_URI = /^https?:\/\/[^/]+(?:\/.*)?\/api\/2\.0\/mlflow-artifacts\/artifacts(\/.*)?$/;

/**
 * The storage key an artifact URI names when this server proxies it (`mlflow-artifacts:/1/r/artifacts`
 * → `1/r/artifacts`), or `undefined` for a location the client reaches itself (s3://, file:...).
 * The path part is decoded once, as the client's URL for it would be.
 */
export function proxiedKey(uri: string): string | undefined {
  const m = PROXY_URI.exec(uri) ?? HTTP_PROXY_URI.exec(uri);
  if (!m) return undefined;
  return safeArtifactPath((m[1] ?? '').replace(/^\/+/, ''), { allowEmpty: true });
}

function toFileInfo(path: string, entry: ArtifactEntry): FileInfo {
  return entry.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: entry.size };
}

/**
 * Artifact access: the raw proxy (keys relative to the artifacts destination) and the views
 * through a run's or a logged model's `artifact_uri`. Every key passed in has gone through
 * `safeArtifactPath` in the route.
 */
export function createArtifactService(store: Store, config: ServerConfig, runs: RunService, artifacts: ArtifactStore) {
  const { db } = store;

  /**
   * Proxy keys start with the experiment id (`mlflow-artifacts:/<exp>/...`); a workspace may only
   * reach its own experiments' keys. Keys that do not start with an id (locations a user chose)
   * are not tied to an experiment and stay reachable from every workspace.
   */
  async function checkScope(ws: Workspace, key: string): Promise<void> {
    const first = key.split('/')[0];
    if (!/^\d{1,18}$/.test(first)) return;
    const workspaceId = await findExperimentWorkspaceId(db, Number(first));
    if (workspaceId !== ws.id) throw notFound(`No artifact at '${key}' in workspace '${ws.name}'.`);
  }

  async function listProxy(ws: Workspace, dir: string): Promise<{ files?: FileInfo[] }> {
    await checkScope(ws, dir);
    const entries = await artifacts.list(dir);
    return entries.length > 0 ? { files: entries.map((e) => toFileInfo(e.name, e)) } : {};
  }

  const localStores = new Map<string, ArtifactStore>();

  /**
   * Where the files under an artifact root live: the proxy's store for `mlflow-artifacts:` roots, a
   * store over the directory for local roots inside the served local roots, else nothing (the
   * client reaches s3://, gs://... itself).
   */
  function rootStore(rootUri: string): { store: ArtifactStore; key: string } | undefined {
    const proxied = proxiedKey(rootUri);
    if (proxied !== undefined) return { store: artifacts, key: proxied };
    const dir = localArtifactPath(rootUri);
    if (dir === undefined) return undefined;
    if (!config.localArtifactRoots.some((root) => isInside(root, dir)))
      throw new TroveError(
        'PERMISSION_DENIED',
        `Artifacts at '${rootUri}' lie outside the local artifact roots this server serves; add the directory to TROVE_LOCAL_ARTIFACT_ROOTS to serve it.`,
      );
    const resolved = resolve(dir);
    let store = localStores.get(resolved);
    if (!store) {
      store = new LocalArtifactStore(resolved);
      localStores.set(resolved, store);
    }
    return { store, key: '' };
  }

  async function listUnder(rootUri: string, rel: string): Promise<{ root_uri: string; files?: FileInfo[] }> {
    const root = rootStore(rootUri);
    if (root === undefined) return { root_uri: rootUri };
    const entries = await root.store.list(joinKey(root.key, rel));
    return entries.length > 0
      ? { root_uri: rootUri, files: entries.map((e) => toFileInfo(joinKey(rel, e.name), e)) }
      : { root_uri: rootUri };
  }

  /** The store and key of `rel` under an artifact root this server serves. */
  function fileUnder(rootUri: string, rel: string): { store: ArtifactStore; key: string } {
    const root = rootStore(rootUri);
    if (root === undefined)
      throw invalidParam(
        `Artifacts at '${rootUri}' are not served by this server; read them from that location directly.`,
      );
    return { store: root.store, key: joinKey(root.key, rel) };
  }

  /**
   * Opens `rel` under `root` of `store`; a miss is tried once more as MLflow's client means it
   * (the decoded form of a listed name, `mlflow-client-name.ts`), so its downloads of
   * `log_image` files find the names stored literally.
   */
  async function openAsClientMeans(
    target: { store: ArtifactStore; key: string },
    root: string,
    range?: ByteRange,
  ): Promise<ArtifactRead> {
    try {
      return await target.store.open(target.key, range);
    } catch (e) {
      if (!(e instanceof TroveError) || e.code !== 'RESOURCE_DOES_NOT_EXIST') throw e;
      const rel = root === '' ? target.key : target.key.slice(root.length + 1);
      const stored = await findByMlflowClientView(target.store, root, rel);
      if (stored === undefined || stored === target.key) throw e;
      return target.store.open(stored, range);
    }
  }

  async function runRootUri(ws: Workspace, runId: string): Promise<string> {
    return (await runs.getRow(ws, runId)).artifact_uri;
  }

  async function modelRootUri(ws: Workspace, modelId: string): Promise<string> {
    const row = await findLoggedModelArtifactRoot(db, modelId);
    if (!row || Number(row.workspace_id) !== ws.id || row.lifecycle_stage !== 'active')
      throw notFound(`Logged model with ID '${modelId}' not found.`);
    return row.artifact_uri;
  }

  return {
    store: artifacts,
    checkScope,
    /** The proxy's `/mpu/*` endpoints. */
    multipart: createMultipartUploadService(artifacts, checkScope),
    put: async (ws: Workspace, key: string, body: Readable) => {
      await checkScope(ws, key);
      return artifacts.put(key, body);
    },
    open: async (ws: Workspace, key: string, range?: ByteRange): Promise<ArtifactRead> => {
      await checkScope(ws, key);
      return openAsClientMeans({ store: artifacts, key }, '', range);
    },
    remove: async (ws: Workspace, key: string) => {
      await checkScope(ws, key);
      return artifacts.delete(key);
    },
    /** Writes a file already resolved through a run or model of the workspace. */
    putResolved: (target: { store: ArtifactStore; key: string }, body: Readable) => target.store.put(target.key, body),
    listProxy,

    /** `artifacts/list`: paths relative to the run's root. */
    async listRun(ws: Workspace, runId: string, rel: string) {
      return listUnder(await runRootUri(ws, runId), rel);
    },
    async openRunFile(ws: Workspace, runId: string, rel: string, range?: ByteRange) {
      const root = await runRootUri(ws, runId);
      return openAsClientMeans(fileUnder(root, rel), fileUnder(root, '').key, range);
    },
    /**
     * A file under any artifact URI this server can reach: a `runs:/<id>/<path>` URI (a model
     * version's download URI) through that run's root, any other through {@link rootStore}.
     */
    async openUriFile(ws: Workspace, uri: string, rel: string, range?: ByteRange) {
      const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
      const root = runs ? await runRootUri(ws, runs[1]) : uri;
      const base = runs ? safeArtifactPath(runs[2], { allowEmpty: true, access: 'read' }) : '';
      return openAsClientMeans(fileUnder(root, joinKey(base, rel)), fileUnder(root, base).key, range);
    },
    /** Where `rel` inside a run's artifacts is stored (resolved before any body is read). */
    async runFileTarget(ws: Workspace, runId: string, rel: string) {
      return fileUnder(await runRootUri(ws, runId), rel);
    },

    /** `logged-models/{id}/artifacts/directories`: paths relative to the model's root. */
    async listModel(ws: Workspace, modelId: string, rel: string) {
      return listUnder(await modelRootUri(ws, modelId), rel);
    },
    async openModelFile(ws: Workspace, modelId: string, rel: string, range?: ByteRange) {
      const file = fileUnder(await modelRootUri(ws, modelId), rel);
      return file.store.open(file.key, range);
    },
  };
}

export type ArtifactService = ReturnType<typeof createArtifactService>;
