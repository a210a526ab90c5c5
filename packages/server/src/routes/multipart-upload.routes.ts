import { Artifacts, type Decoded, decodeBody, type MessageSpec, stringifyJson, TroveError } from '@trove/protocol';
import type { FastifyRequest } from 'fastify';
import type { RpcRouter } from '../http/rpc.ts';
import { tailPath } from '../http/tail-path.ts';
import type { MultipartUploadService } from '../services/multipart-upload.service.ts';
import type { Workspace } from '../services/workspace.service.ts';

/** `POST /api/2.0/mlflow-artifacts/mpu/{create,complete,abort}/<dir>`: the URL names the directory, the body the file. */
export function registerMultipartUploadRoutes(router: RpcRouter, mpu: MultipartUploadService): void {
  const mount = <M extends MessageSpec>(step: string, spec: M, handle: (ws: Workspace, dir: string, input: Decoded<M>) => Promise<unknown>) =>
    router.raw(
      'POST',
      `/mpu/${step}/*`,
      async (req, reply, ws) => {
        // MLflow's order: the URL's path is checked first, then the body, then the store's support.
        const dir = tailPath(req);
        const result = await handle(ws, dir, decodeBody(spec, jsonObject(req)));
        return reply.type('application/json').send(stringifyJson(result));
      },
      { prefix: 'mlflow-artifacts' },
    );
  mount('create', Artifacts.CreateMultipartUpload, mpu.create);
  mount('complete', Artifacts.CompleteMultipartUpload, mpu.complete);
  mount('abort', Artifacts.AbortMultipartUpload, mpu.abort);
}

function jsonObject(req: FastifyRequest): unknown {
  const body = req.body ?? {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new TroveError('MALFORMED_REQUEST', 'Request body must be a JSON object.');
  return body;
}
