import {
  type ArtifactStore,
  joinKey,
  MAX_UPLOAD_PARTS,
  safeArtifactPath,
  supportsMultipartUpload,
  type UploadedPart,
} from '@trove/artifacts';
import { type Artifacts, asInt64, type Decoded, invalidParam, missing, TroveError } from '@trove/protocol';
import type { Workspace } from './workspace.service.ts';

/** MLflow's `_UnsupportedMultipartUploadException.MESSAGE`: its client falls back to one PUT when a 501 message starts with it. */
export const MPU_UNSUPPORTED = 'Multipart upload is not supported for the current artifact repository';

/**
 * The artifact proxy's client-driven multipart uploads (`/mpu/create|complete|abort/<dir>`),
 * as MLflow serves them: the object is `<dir>/<basename of the client's local path>`, the client
 * PUTs each part to a presigned URL of the object store itself. Stores without presigned parts
 * (local disk) answer MLflow's 501 once the request itself is valid, as MLflow does.
 */
export function createMultipartUploadService(
  store: ArtifactStore,
  checkScope: (ws: Workspace, key: string) => Promise<void>,
) {
  async function target(ws: Workspace, dir: string, localPath: string) {
    if (!supportsMultipartUpload(store)) throw new TroveError('NOT_IMPLEMENTED', MPU_UNSUPPORTED);
    await checkScope(ws, dir);
    return { mpu: store, key: joinKey(dir, objectName(localPath)) };
  }

  return {
    async create(ws: Workspace, dir: string, input: Decoded<typeof Artifacts.CreateMultipartUpload>) {
      const { mpu, key } = await target(ws, dir, input.path);
      const numParts = Number(input.num_parts ?? 0);
      if (!(numParts >= 1 && numParts <= MAX_UPLOAD_PARTS))
        throw invalidParam(
          `num_parts must be between 1 and ${MAX_UPLOAD_PARTS}, got ${String(input.num_parts ?? 'none')}.`,
        );
      const { uploadId, parts } = await mpu.createMultipartUpload(key, numParts);
      return {
        upload_id: uploadId,
        credentials: parts.map((p) => ({ url: p.url, part_number: p.partNumber, headers: p.headers })),
      };
    },
    async complete(ws: Workspace, dir: string, input: Decoded<typeof Artifacts.CompleteMultipartUpload>) {
      const { mpu, key } = await target(ws, dir, input.path);
      if (!input.upload_id) throw missing('upload_id');
      await mpu.completeMultipartUpload(key, input.upload_id, uploadedParts(input.parts));
      return {};
    },
    async abort(ws: Workspace, dir: string, input: Decoded<typeof Artifacts.AbortMultipartUpload>) {
      const { mpu, key } = await target(ws, dir, input.path);
      if (!input.upload_id) throw missing('upload_id');
      await mpu.abortMultipartUpload(key, input.upload_id);
      return {};
    },
  };
}

export type MultipartUploadService = ReturnType<typeof createMultipartUploadService>;

/**
 * The file name of the client's local path, which must be one safe name. Windows clients send
 * `C:\…\model.bin`: MLflow's POSIX `basename` keeps the whole string there, Trove takes `model.bin`.
 */
function objectName(localPath: string): string {
  const name = localPath.slice(Math.max(localPath.lastIndexOf('/'), localPath.lastIndexOf('\\')) + 1);
  if (name === '') throw invalidParam(`Invalid path: '${localPath}' does not name a file.`);
  return safeArtifactPath(name, { encoded: false });
}

function uploadedParts(raw: Record<string, unknown>[]): UploadedPart[] {
  const seen = new Set<number>();
  return raw.map((part, i) => {
    const n = asInt64(part.part_number);
    const partNumber = typeof n === 'number' ? n : 0;
    if (!(partNumber >= 1 && partNumber <= MAX_UPLOAD_PARTS))
      throw invalidParam(`parts[${i}].part_number must be between 1 and ${MAX_UPLOAD_PARTS}.`);
    if (seen.has(partNumber)) throw invalidParam(`Part ${partNumber} is listed twice.`);
    seen.add(partNumber);
    if (typeof part.etag !== 'string' || part.etag === '')
      throw invalidParam(`parts[${i}].etag must be the ETag the part's upload answered.`);
    return { partNumber, etag: part.etag };
  });
}
