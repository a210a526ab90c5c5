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
export { joinKey, MAX_PATH_BYTES, MAX_SEGMENT_BYTES, resolveUnderRoot, type SafePathOptions, safeArtifactPath } from './safe-path.ts';
