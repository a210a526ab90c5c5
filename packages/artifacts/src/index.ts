export {
  type ArtifactEntry,
  type ArtifactRead,
  type ArtifactStat,
  type ArtifactStore,
  type ByteRange,
  parseRangeHeader,
  RangeNotSatisfiable,
  resolveRange,
} from './artifact-store.ts';
export { LocalArtifactStore, UPLOAD_TEMP_PREFIX } from './local-artifact-store.ts';
export { guessMediaType } from './media-type.ts';
export { findByMlflowClientView, mlflowClientView, refusedByMlflowClient } from './mlflow-client-name.ts';
export {
  MAX_UPLOAD_PARTS,
  type MultipartUploadStore,
  type PresignedPart,
  supportsMultipartUpload,
  type UploadedPart,
} from './multipart-upload.ts';
export { isS3Uri, openArtifactStore } from './open-artifact-store.ts';
export {
  parseS3Uri,
  S3_MIN_PART_BYTES,
  S3ArtifactStore,
  type S3ArtifactStoreOptions,
  type S3Location,
  s3EndpointFromEnv,
} from './s3-artifact-store.ts';
export {
  joinKey,
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
  resolveUnderRoot,
  type SafePathOptions,
  safeArtifactPath,
} from './safe-path.ts';
