import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { type FileInfo, TroveError } from '@trove/protocol';
import type { HttpClient } from './http-client.ts';

/** Artifact content: bytes, text, a Node stream or a web stream. */
export type ArtifactBody = Uint8Array | string | Readable | ReadableStream<Uint8Array>;

const PROXY_PATH = '/api/2.0/mlflow-artifacts/artifacts';
const PROXY_URI = /^mlflow-artifacts:(?:\/\/([^/]*))?(\/.*)?$/;
const HTTP_PROXY_URI = /^https?:\/\/[^/]+(?:\/.*)?\/api\/2\.0\/mlflow-artifacts\/artifacts(?:\/.*)?$/;

/**
 * The proxy URL of `relPath` under an artifact root URI, resolved the way MLflow's client does:
 * `mlflow-artifacts:/P` goes through the tracking server (workspace prefix included),
 * `mlflow-artifacts://host/P` through `host`; `http(s)://…/mlflow-artifacts/artifacts/…` is used as is.
 * Other schemes (s3://, file:) are not served by the server and are refused.
 *
 * @example
 * artifactUrl(http, 'mlflow-artifacts:/1/abc/artifacts', 'plots/loss.png');
 * // → http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/plots/loss.png
 */
export function artifactUrl(http: HttpClient, rootUri: string, relPath = ''): string {
  let root: string;
  const m = PROXY_URI.exec(rootUri);
  if (m) {
    const key = (m[2] ?? '').replace(/^\/+/, '');
    const origin = m[1] ? `${new URL(http.baseUrl).protocol}//${m[1]}` : http.baseUrl;
    root = `${origin}${PROXY_PATH}${key ? `/${key}` : ''}`;
  } else if (HTTP_PROXY_URI.test(rootUri)) {
    root = rootUri.replace(/\/+$/, '');
  } else {
    throw new TroveError(
      'INVALID_PARAMETER_VALUE',
      `Artifacts at '${rootUri}' are not served through the tracking server; read or write that location directly.`,
    );
  }
  const rel = relPath
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
  return rel ? `${root}/${rel}` : root;
}

/** Uploads `body` to `artifactPath` under the root (overwrites). Streams are sent once; bytes and text are retried on transient errors. */
export async function uploadArtifact(
  http: HttpClient,
  rootUri: string,
  artifactPath: string,
  body: ArtifactBody | (() => ArtifactBody),
): Promise<void> {
  if (artifactPath.replace(/\/+$/, '') === '')
    throw new TroveError('INVALID_PARAMETER_VALUE', 'An artifact path must name a file.');
  const make = typeof body === 'function' ? () => toBodyInit(body()) : undefined;
  const res = await http.send('PUT', artifactUrl(http, rootUri, artifactPath), {
    body: make ?? toBodyInit(body as ArtifactBody),
    headers: { 'content-type': 'application/octet-stream' },
    timeoutMs: null,
  });
  await res.body?.cancel();
}

/** Uploads a local file to `<artifactDir>/<file name>` (like `mlflow.log_artifact`), streaming it; the file is reopened on retries. */
export async function uploadFile(
  http: HttpClient,
  rootUri: string,
  localPath: string,
  artifactDir = '',
): Promise<string> {
  if (!(await stat(localPath)).isFile())
    throw new TroveError('INVALID_PARAMETER_VALUE', `'${localPath}' is not a file.`);
  const dest = [artifactDir.replace(/^\/+|\/+$/g, ''), basename(localPath)].filter((s) => s !== '').join('/');
  await uploadArtifact(http, rootUri, dest, () => createReadStream(localPath));
  return dest;
}

/** The whole content of an artifact. */
export async function downloadArtifact(http: HttpClient, rootUri: string, artifactPath: string): Promise<Buffer> {
  const res = await http.send('GET', artifactUrl(http, rootUri, artifactPath), { timeoutMs: null });
  return Buffer.from(await res.arrayBuffer());
}

/** Streams an artifact into a local file. */
export async function downloadArtifactToFile(
  http: HttpClient,
  rootUri: string,
  artifactPath: string,
  localPath: string,
): Promise<void> {
  const res = await http.send('GET', artifactUrl(http, rootUri, artifactPath), { timeoutMs: null });
  if (!res.body) throw new TroveError('INTERNAL_ERROR', `Download of '${artifactPath}' returned no body.`);
  await pipeline(Readable.fromWeb(res.body as unknown as NodeWebStream<Uint8Array>), createWriteStream(localPath));
}

/**
 * Lists a directory of a run's artifacts through `GET /api/2.0/mlflow/artifacts/list`; paths are
 * relative to the run's artifact root (`model/MLmodel`), `file_size` is absent for directories.
 */
export async function listRunArtifacts(http: HttpClient, runId: string, path?: string): Promise<FileInfo[]> {
  const res = await http.get<{ files?: FileInfo[] }>('/api/2.0/mlflow/artifacts/list', { run_id: runId, path });
  return res.files ?? [];
}

function toBodyInit(body: ArtifactBody): BodyInit {
  if (body instanceof Readable) return Readable.toWeb(body) as unknown as BodyInit;
  return body as BodyInit;
}
