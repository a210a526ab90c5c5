export { type ArtifactEntry, type ArtifactRead, type ArtifactStat, type ArtifactStore, type ByteRange, RangeNotSatisfiable, parseRangeHeader, resolveRange } from './artifact-store.ts';
export { LocalArtifactStore, UPLOAD_TEMP_PREFIX } from './local-artifact-store.ts';
export { MAX_PATH_BYTES, MAX_SEGMENT_BYTES, type SafePathOptions, joinKey, resolveUnderRoot, safeArtifactPath } from './safe-path.ts';
export { guessMediaType } from './media-type.ts';
