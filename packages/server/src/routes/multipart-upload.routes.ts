import { Artifacts, type Decoded, type MessageSpec } from '@trove/protocol';
import { decodeInput, type Router, sendJson } from '../http/router.ts';
import { tailPath } from '../http/tail-path.ts';
import type { MultipartUploadService } from '../services/multipart-upload.service.ts';
import type { Workspace } from '../services/workspace.service.ts';

/**
 * `POST /api/2.0/mlflow-artifacts/mpu/{create,complete,abort}/<dir>`: the URL names the directory, the body the file.
 * A raw mount, because MLflow checks the URL's path before the body (a JSON route decodes first).
 */
export function registerMultipartUploadRoutes(router: Router, mpu: MultipartUploadService): void {
  const mount = <M extends MessageSpec>(
    step: string,
    spec: M,
    handle: (ws: Workspace, dir: string, input: Decoded<M>) => Promise<unknown>,
  ) =>
    router.raw(
      'POST',
      `/mpu/${step}/*`,
      async (req, reply, ws) => {
        // MLflow's order: the URL's path is checked first, then the body, then the store's support.
        const dir = tailPath(req);
        return sendJson(reply, await handle(ws, dir, decodeInput(spec, req, 'mlflow-artifacts')));
      },
      { api: 'mlflow-artifacts' },
    );
  mount('create', Artifacts.CreateMultipartUpload, mpu.create);
  mount('complete', Artifacts.CompleteMultipartUpload, mpu.complete);
  mount('abort', Artifacts.AbortMultipartUpload, mpu.abort);
}
