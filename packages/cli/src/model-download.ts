import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { FileInfo, ModelVersion } from '@trove/protocol';
import {
  artifactUrl,
  downloadArtifactToFile,
  type HttpClient,
  type RegistryClient,
  type TrackingClient,
  TroveError,
} from '@trove/sdk';
import { CliError, EXIT } from './exit-codes.ts';

/** The version `ref` names: a number, `@alias`, or (with `stage`) the newest in that stage. */
export async function resolveVersion(
  registry: RegistryClient,
  name: string,
  ref: string | undefined,
  stage: string | undefined,
): Promise<ModelVersion> {
  if ((ref === undefined) === (stage === undefined))
    throw new CliError('Name the version: a number, @alias, or --stage <stage>.', EXIT.USAGE);
  if (stage !== undefined) {
    const [latest] = await registry.getLatestVersions(name, [stage]);
    if (!latest) throw new CliError(`Registered model '${name}' has no version in stage '${stage}'.`, EXIT.NOT_FOUND);
    return latest;
  }
  const r = ref as string;
  return r.startsWith('@') ? registry.getModelVersionByAlias(name, r.slice(1)) : registry.getModelVersion(name, r);
}

/** A file to fetch: its path relative to the version's files, and `rel` under the artifact root `root`. */
interface RemoteFile {
  path: string;
  root: string;
  rel: string;
}

/**
 * Every file of a model version, found through the server: a `runs:/` download URI or one inside
 * the version's run's artifact root is listed with `artifacts/list`; an `mlflow-artifacts:` one
 * through the artifact proxy's listing. Files are fetched through the artifact proxy.
 */
async function versionFiles(tracking: TrackingClient, mv: ModelVersion, uri: string): Promise<RemoteFile[]> {
  const http = tracking.http;
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
  let runId = runs?.[1];
  let base = runs?.[2] ?? '';
  if (!runId && mv.run_id) {
    const root = (await tracking.getRun(mv.run_id)).info.artifact_uri.replace(/\/+$/, '');
    if (uri === root || uri.startsWith(`${root}/`)) [runId, base] = [mv.run_id, uri.slice(root.length + 1)];
  }
  if (runId) {
    const id = runId;
    const root = await tracking.artifactUri(id);
    const files = await walk((dir) => tracking.listArtifacts(id, dir), base);
    const strip = base ? base.replace(/\/+$/, '').length + 1 : 0;
    return files.map((f) => ({ path: f.path.slice(strip), root, rel: f.path }));
  }
  if (uri.startsWith('mlflow-artifacts:')) {
    // The proxy's listing takes the key under its root: the URI's path, as artifactUrl resolves it.
    const key = decodeURIComponent(
      artifactUrl(http, uri).replace(/^.*\/api\/2\.0\/mlflow-artifacts\/artifacts\/?/, ''),
    );
    const files = await walk((dir) => proxyList(http, dir), key);
    const strip = key ? key.length + 1 : 0;
    return files.map((f) => ({ path: f.path.slice(strip), root: uri, rel: f.path.slice(strip) }));
  }
  throw new CliError(
    `Model version ${mv.name}/${mv.version} lives at '${uri}', which this server does not serve; download it from there directly.`,
    EXIT.USAGE,
  );
}

/** The proxy's listing of `dir`, with paths made relative to the proxy root as `artifacts/list` gives them. */
async function proxyList(http: HttpClient, dir: string): Promise<FileInfo[]> {
  const res = await http.get<{ files?: FileInfo[] }>('/api/2.0/mlflow-artifacts/artifacts', { path: dir });
  return (res.files ?? []).map((f) => ({ ...f, path: dir ? `${dir}/${f.path}` : f.path }));
}

/** Lists `dir` and every directory below it; files only. */
export async function walk(list: (dir: string) => Promise<FileInfo[]>, dir: string): Promise<FileInfo[]> {
  const out: FileInfo[] = [];
  for (const entry of await list(dir)) {
    if (entry.is_dir) out.push(...(await walk(list, entry.path)));
    else out.push(entry);
  }
  return out;
}

/** Downloads every file of the version into `dest`, keeping the layout; resolves to what was written. */
export async function downloadModelVersion(
  tracking: TrackingClient,
  registry: RegistryClient,
  mv: ModelVersion,
  dest: string,
): Promise<{ path: string; local_path: string; bytes: number }[]> {
  const uri = await registry.getDownloadUri(mv.name, mv.version);
  const files = await versionFiles(tracking, mv, uri);
  if (files.length === 0)
    throw new TroveError('RESOURCE_DOES_NOT_EXIST', `Model version ${mv.name}/${mv.version} has no files at '${uri}'.`);
  const root = resolve(dest);
  const written = [];
  for (const f of files) {
    const local = join(root, ...f.path.split('/'));
    if (!local.startsWith(root + sep))
      throw new CliError(`Refusing to write '${f.path}' outside ${root}.`, EXIT.REFUSED);
    await mkdir(dirname(local), { recursive: true });
    await downloadArtifactToFile(tracking.http, f.root, f.rel, local);
    written.push({ path: f.path, local_path: local, bytes: (await stat(local)).size });
  }
  return written;
}
