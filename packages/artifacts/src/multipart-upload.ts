import type { ArtifactStore } from './artifact-store.ts';

/** S3's limits: part numbers run 1..10000. */
export const MAX_UPLOAD_PARTS = 10_000;

/** Where a client PUTs one part itself (a presigned URL), as MLflow's `MultipartUploadCredential`. */
export interface PresignedPart {
  partNumber: number;
  url: string;
  /** Headers the client must send with the PUT. */
  headers: Record<string, string>;
}

/** A part the client uploaded: its number and the ETag the object store answered. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
}

/**
 * Client-driven multipart uploads (MLflow's `MultipartUploadMixin`): the server starts the upload
 * and hands out one presigned URL per part, the client PUTs the parts straight to the object
 * store, then asks the server to complete or abort. Only object stores offer it; the proxy
 * answers MLflow's 501 for the others and the client falls back to one streamed PUT.
 */
export interface MultipartUploadStore {
  createMultipartUpload(path: string, numParts: number): Promise<{ uploadId: string; parts: PresignedPart[] }>;
  /** Throws `RESOURCE_DOES_NOT_EXIST` for an unknown upload id, `INVALID_PARAMETER_VALUE` for parts the store refuses. */
  completeMultipartUpload(path: string, uploadId: string, parts: UploadedPart[]): Promise<void>;
  abortMultipartUpload(path: string, uploadId: string): Promise<void>;
}

export function supportsMultipartUpload(store: ArtifactStore): store is ArtifactStore & MultipartUploadStore {
  const s = store as Partial<MultipartUploadStore>;
  return (
    typeof s.createMultipartUpload === 'function' &&
    typeof s.completeMultipartUpload === 'function' &&
    typeof s.abortMultipartUpload === 'function'
  );
}
