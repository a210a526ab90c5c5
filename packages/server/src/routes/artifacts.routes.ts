import { pipeline, Readable, Transform } from 'node:stream';
import { type ArtifactRead, guessMediaType, parseRangeHeader, RangeNotSatisfiable, safeArtifactPath } from '@trove/artifacts';
import { invalidParam, stringifyJson, Tracking, TroveError } from '@trove/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { prefixesFor, type RpcRouter } from '../http/rpc.ts';
import { tailPath } from '../http/tail-path.ts';
import type { ArtifactService } from '../services/artifact.service.ts';
import type { ModelVersionService } from '../services/model-version.service.ts';
import { runIdOf } from '../services/run.service.ts';
import type { Workspace, WorkspaceService } from '../services/workspace.service.ts';
import { registerMultipartUploadRoutes } from './multipart-upload.routes.ts';

/** Largest body `upload-artifact` (the UI's upload) accepts; the proxy PUT has no limit. */
export const UI_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

type Handler = (req: FastifyRequest, reply: FastifyReply, ws: Workspace) => Promise<unknown>;
type Query = Record<string, string | string[] | undefined>;

export function registerArtifactRoutes(
  app: FastifyInstance,
  router: RpcRouter,
  services: { workspaces: WorkspaceService; artifacts: ArtifactService; modelVersions: Pick<ModelVersionService, 'downloadUri'> },
): void {
  const { artifacts, workspaces } = services;

  registerMultipartUploadRoutes(router, artifacts.multipart);
  router.rpc('GET', '/artifacts/list', Tracking.ListArtifacts, async ({ workspace, input }) => artifacts.listRun(workspace, runIdOf(input), queryPath(input.path, true, 'read')));
  router.rpc('GET', '/logged-models/:model_id/artifacts/directories', Tracking.ListLoggedModelArtifacts, async ({ workspace, input, params }) =>
    artifacts.listModel(workspace, params.model_id, queryPath(input.artifact_directory_path, true, 'read')),
  );

  // Uploads must reach the handler unread whatever their Content-Type (the client sends
  // `application/json` for .json files), so these routes live in a context of their own whose
  // only parser leaves the body alone.
  app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const route = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', urls: string[], handler: Handler) => {
      for (const url of urls) {
        raw.route({ method, url, handler: async (req, reply) => handler(req, reply, await workspaces.resolve((req.params as { workspace?: string }).workspace)) });
      }
    };
    const proxy = (path: string) => prefixesFor('mlflow-artifacts', '2.0').map((p) => p + path);
    const mlflow = (path: string) => prefixesFor('mlflow', '2.0').map((p) => p + path);

    route('PUT', proxy('/artifacts/*'), async (req, reply, ws) => {
      const key = tailPath(req);
      await upload(req, () => artifacts.put(ws, key, req.raw));
      return sendJson(reply, {});
    });
    route('GET', proxy('/artifacts/*'), async (req, reply, ws) => {
      const key = tailPath(req, true, 'read');
      if (key === '') return sendJson(reply, await artifacts.listProxy(ws, queryPath((req.query as Query).path, true, 'read')));
      return sendFile(req, reply, key, (range) => artifacts.open(ws, key, range));
    });
    route('GET', proxy('/artifacts'), async (req, reply, ws) => sendJson(reply, await artifacts.listProxy(ws, queryPath((req.query as Query).path, true, 'read'))));
    route('DELETE', proxy('/artifacts/*'), async (req, reply, ws) => {
      await artifacts.remove(ws, tailPath(req));
      return sendJson(reply, {});
    });

    route('GET', ['/get-artifact', '/w/:workspace/get-artifact'], async (req, reply, ws) => {
      const q = req.query as Query;
      const rel = queryPath(q.path, false, 'read');
      return sendFile(req, reply, rel, (range) => artifacts.openRunFile(ws, runIdOf({ run_id: first(q.run_id), run_uuid: first(q.run_uuid) }), rel, range));
    });
    route('GET', ['/model-versions/get-artifact', '/w/:workspace/model-versions/get-artifact'], async (req, reply, ws) => {
      const q = req.query as Query;
      const rel = queryPath(q.path, false, 'read');
      const uri = await services.modelVersions.downloadUri(ws, first(q.name) ?? '', first(q.version) ?? '');
      return sendFile(req, reply, rel, (range) => artifacts.openUriFile(ws, uri, rel, range));
    });
    route('POST', mlflow('/upload-artifact'), async (req, reply, ws) => {
      const q = req.query as Query;
      // MLflow's checks, in its order and words.
      const runId = first(q.run_uuid) ?? first(q.run_id);
      if (!runId) throw invalidParam('Request must specify run_uuid.');
      if (!first(q.path)) throw invalidParam('Request must specify path.');
      const rel = queryPath(q.path, false);
      if (Number(req.headers['content-length'] ?? 0) > UI_UPLOAD_LIMIT_BYTES) throw tooLarge();
      if (req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0) throw invalidParam('Request must specify data.');
      const target = await artifacts.runFileTarget(ws, runId, rel);
      await upload(req, () => artifacts.putResolved(target, limitBody(req, UI_UPLOAD_LIMIT_BYTES)));
      return reply.code(200).send();
    });
    route('GET', mlflow('/logged-models/:model_id/artifacts/files'), async (req, reply, ws) => {
      const q = req.query as Query;
      if (!first(q.artifact_file_path)) throw new TroveError('BAD_REQUEST', "Missing required parameter 'artifact_file_path'.");
      const rel = queryPath(q.artifact_file_path, false, 'read');
      return sendFile(req, reply, rel, (range) => artifacts.openModelFile(ws, (req.params as { model_id: string }).model_id, rel, range));
    });
  });
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * A path from the query string (already decoded once by the query parser). Reads (files and
 * listings) take `'read'`: MLflow's client asks for names as it decoded them from a listing, and
 * lists a file's own path to learn whether it is a directory. Writes are strict.
 */
function queryPath(value: string | string[] | undefined, allowEmpty: boolean, access: 'read' | 'write' = 'write'): string {
  return safeArtifactPath(first(value) ?? '', { encoded: false, allowEmpty, access });
}

async function upload<T>(req: FastifyRequest, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    // A body the store refused unread is drained, so the error reply reaches the client and the
    // connection stays usable.
    if (!req.raw.destroyed && !req.raw.readableEnded) {
      req.raw.unpipe();
      req.raw.resume();
    }
    if (e instanceof TroveError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (req.raw.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') throw new TroveError('BAD_REQUEST', 'The upload ended before the whole body arrived.');
    throw e;
  }
}

const tooLarge = () => invalidParam(`Artifact size is too large. Max size is 10MB (${UI_UPLOAD_LIMIT_BYTES} bytes).`);

/** Passes at most `max` bytes; past that it drains the rest and then fails, so the client still reads a 400 instead of a reset connection. */
function limitBody(req: FastifyRequest, max: number): Transform {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(null, seen > max ? undefined : chunk);
    },
    flush(done) {
      done(seen > max ? tooLarge() : null);
    },
  });
  pipeline(req.raw, limiter, () => {});
  return limiter;
}

function sendJson(reply: FastifyReply, body: unknown) {
  return reply.type('application/json').send(stringifyJson(body));
}

async function sendFile(req: FastifyRequest, reply: FastifyReply, key: string, open: (range?: ReturnType<typeof parseRangeHeader>) => Promise<ArtifactRead>) {
  const range = parseRangeHeader(req.headers.range);
  let read: ArtifactRead;
  try {
    read = await open(range);
  } catch (e) {
    if (!(e instanceof RangeNotSatisfiable)) throw e;
    return reply
      .code(416)
      .header('Content-Range', `bytes */${e.size}`)
      .type('application/json')
      .send(stringifyJson({ error_code: 'INVALID_PARAMETER_VALUE', message: e.message }));
  }
  const name = key.slice(key.lastIndexOf('/') + 1);
  reply
    .header('Content-Type', guessMediaType(name))
    .header('Content-Disposition', contentDisposition(name))
    .header('Accept-Ranges', 'bytes')
    .header('Content-Length', String(read.contentLength))
    // Artifacts are user content: a browser opening one directly must not run it on our origin.
    .header('Content-Security-Policy', 'sandbox');
  if (range) reply.code(206).header('Content-Range', `bytes ${read.start}-${read.end}/${read.size}`);
  if (req.method === 'HEAD') {
    // Fastify drains a HEAD stream to the end and zeroes Content-Length for an empty reply; an
    // empty stream keeps our header without reading the file.
    read.stream.destroy();
    return reply.send(Readable.from([]));
  }
  return reply.send(read.stream);
}

/** MLflow's plain `attachment; filename=<name>` where that is a valid header; RFC 6266 encoding otherwise. */
function contentDisposition(name: string): string {
  if (/^[\w.+-]+$/.test(name)) return `attachment; filename=${name}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
