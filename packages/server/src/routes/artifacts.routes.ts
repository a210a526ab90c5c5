import { pipeline, Readable, Transform } from 'node:stream';
import {
  type ArtifactRead,
  guessMediaType,
  parseRangeHeader,
  RangeNotSatisfiable,
  resolveRange,
  safeArtifactPath,
} from '@trove/artifacts';
import { defineMessage, invalidParam, str, Tracking, TroveError } from '@trove/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Api, type RawHandler, type Router, sendJson } from '../http/router.ts';
import { tailPath } from '../http/tail-path.ts';
import type { ArtifactService } from '../services/artifact.service.ts';
import type { ModelVersionService } from '../services/model-version.service.ts';
import { runIdOf } from '../services/run.service.ts';
import type { TraceService } from '../services/trace.service.ts';
import { registerMultipartUploadRoutes } from './multipart-upload.routes.ts';

/** Largest body `upload-artifact` (the UI's upload) accepts; the proxy PUT has no limit. */
export const UI_UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

type Query = Record<string, string | string[] | undefined>;

/** The artifact proxy's listing (`GET /api/2.0/mlflow-artifacts/artifacts?path=`). */
const ProxyList = defineMessage({ path: str() });

export function registerArtifactRoutes(
  router: Router,
  services: {
    artifacts: ArtifactService;
    modelVersions: Pick<ModelVersionService, 'downloadUri'>;
    traces: Pick<TraceService, 'onArtifactPut' | 'traceDataForArtifactKey'>;
  },
): void {
  const { artifacts } = services;

  registerMultipartUploadRoutes(router, artifacts.multipart);
  router.rpc('GET', '/artifacts/list', Tracking.ListArtifacts, async ({ workspace, input }) =>
    artifacts.listRun(workspace, runIdOf(input), queryPath(input.path, true, 'read')),
  );
  router.rpc(
    'GET',
    '/logged-models/:model_id/artifacts/directories',
    Tracking.ListLoggedModelArtifacts,
    async ({ workspace, input, params }) =>
      artifacts.listModel(workspace, params.model_id, queryPath(input.artifact_directory_path, true, 'read')),
  );

  // Uploads (and downloads, which share their URLs) reach the handler with the body unread,
  // whatever its Content-Type: the client sends `application/json` for .json files.
  const stream = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, api: Api, handler: RawHandler) =>
    router.raw(method, path, handler, { api, body: 'stream' });

  stream('PUT', '/artifacts/*', 'mlflow-artifacts', async (req, reply, ws) => {
    const key = tailPath(req);
    await upload(req, () => artifacts.put(ws, key, req.raw));
    await services.traces.onArtifactPut(ws, key);
    return sendJson(reply, {});
  });
  stream('GET', '/artifacts/*', 'mlflow-artifacts', async (req, reply, ws) => {
    const key = tailPath(req, true, 'read');
    if (key === '')
      return sendJson(reply, await artifacts.listProxy(ws, queryPath((req.query as Query).path, true, 'read')));
    return sendFile(req, reply, key, async (range) => {
      try {
        return await artifacts.open(ws, key, range);
      } catch (e) {
        const text = isNotFound(e) ? await services.traces.traceDataForArtifactKey(ws, key) : undefined;
        if (text === undefined) throw e;
        return readOfText(text, range);
      }
    });
  });
  router.json(
    { api: 'mlflow-artifacts', method: 'GET', path: '/artifacts', spec: ProxyList },
    async ({ workspace, input }) => artifacts.listProxy(workspace, queryPath(input.path, true, 'read')),
  );
  stream('DELETE', '/artifacts/*', 'mlflow-artifacts', async (req, reply, ws) => {
    await artifacts.remove(ws, tailPath(req));
    return sendJson(reply, {});
  });

  stream('GET', '/get-artifact', 'root', async (req, reply, ws) => {
    const q = req.query as Query;
    const rel = queryPath(q.path, false, 'read');
    return sendFile(req, reply, rel, (range) =>
      artifacts.openRunFile(ws, runIdOf({ run_id: first(q.run_id), run_uuid: first(q.run_uuid) }), rel, range),
    );
  });
  stream('GET', '/model-versions/get-artifact', 'root', async (req, reply, ws) => {
    const q = req.query as Query;
    const rel = queryPath(q.path, false, 'read');
    const uri = await services.modelVersions.downloadUri(ws, first(q.name) ?? '', first(q.version) ?? '');
    return sendFile(req, reply, rel, (range) => artifacts.openUriFile(ws, uri, rel, range));
  });
  stream('POST', '/upload-artifact', 'mlflow', async (req, reply, ws) => {
    const q = req.query as Query;
    // MLflow's checks, in its order and words.
    const runId = first(q.run_uuid) ?? first(q.run_id);
    if (!runId) throw invalidParam('Request must specify run_uuid.');
    if (!first(q.path)) throw invalidParam('Request must specify path.');
    const rel = queryPath(q.path, false);
    if (Number(req.headers['content-length'] ?? 0) > UI_UPLOAD_LIMIT_BYTES) throw tooLarge();
    if (req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0)
      throw invalidParam('Request must specify data.');
    const target = await artifacts.runFileTarget(ws, runId, rel);
    await upload(req, () => artifacts.putResolved(target, limitBody(req, UI_UPLOAD_LIMIT_BYTES)));
    return reply.code(200).send();
  });
  stream('GET', '/logged-models/:model_id/artifacts/files', 'mlflow', async (req, reply, ws) => {
    const q = req.query as Query;
    if (!first(q.artifact_file_path))
      throw new TroveError('BAD_REQUEST', "Missing required parameter 'artifact_file_path'.");
    const rel = queryPath(q.artifact_file_path, false, 'read');
    return sendFile(req, reply, rel, (range) =>
      artifacts.openModelFile(ws, (req.params as { model_id: string }).model_id, rel, range),
    );
  });
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const isNotFound = (e: unknown) => e instanceof TroveError && e.code === 'RESOURCE_DOES_NOT_EXIST';

/** A document made in memory, read like a stored file (ranges included). */
function readOfText(text: string, range: ReturnType<typeof parseRangeHeader>): ArtifactRead {
  const bytes = Buffer.from(text, 'utf8');
  const { start, end } = resolveRange(range, bytes.length);
  return {
    stream: Readable.from([bytes.subarray(start, end + 1)]),
    size: bytes.length,
    contentLength: end - start + 1,
    start,
    end,
  };
}

/**
 * A path from the query string (already decoded once by the query parser). Reads (files and
 * listings) take `'read'`: MLflow's client asks for names as it decoded them from a listing, and
 * lists a file's own path to learn whether it is a directory. Writes are strict.
 */
function queryPath(
  value: string | string[] | undefined,
  allowEmpty: boolean,
  access: 'read' | 'write' = 'write',
): string {
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
    if (req.raw.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE')
      throw new TroveError('BAD_REQUEST', 'The upload ended before the whole body arrived.');
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

async function sendFile(
  req: FastifyRequest,
  reply: FastifyReply,
  key: string,
  open: (range?: ReturnType<typeof parseRangeHeader>) => Promise<ArtifactRead>,
) {
  const range = parseRangeHeader(req.headers.range);
  let read: ArtifactRead;
  try {
    read = await open(range);
  } catch (e) {
    if (!(e instanceof RangeNotSatisfiable)) throw e;
    return sendJson(reply.code(416).header('Content-Range', `bytes */${e.size}`), {
      error_code: 'INVALID_PARAMETER_VALUE',
      message: e.message,
    });
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
