import type { ArtifactStore } from './artifact-store.ts';
import { LocalArtifactStore } from './local-artifact-store.ts';
import { S3ArtifactStore } from './s3-artifact-store.ts';

/** True for destinations this package serves from object storage (`s3://bucket/prefix`). */
export const isS3Uri = (destination: string) => /^s3:\/\//i.test(destination);

/**
 * The artifact store for a configured destination: `s3://bucket/prefix` → `S3ArtifactStore`
 * (endpoint, region and credentials from the environment, as the AWS SDK reads them), anything
 * else → a local directory.
 */
export function openArtifactStore(destination: string, env: NodeJS.ProcessEnv = process.env): ArtifactStore {
  if (isS3Uri(destination)) return S3ArtifactStore.fromUri(destination, { env });
  return new LocalArtifactStore(destination.replace(/^file:\/\//, ''));
}
