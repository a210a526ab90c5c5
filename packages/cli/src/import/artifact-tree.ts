import { type ArtifactStore, openArtifactStore } from '@trove/artifacts';
import type { ImportArtifact } from '@trove/protocol';

/** Every file under `dir` of an artifact store, depth first, in name order. */
export async function* walkArtifacts(store: ArtifactStore, dir = ''): AsyncIterable<ImportArtifact> {
  for (const entry of await store.list(dir)) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDir) yield* walkArtifacts(store, path);
    else yield { path, size: entry.size ?? 0 };
  }
}

const PROXY_URI = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/;

/** The key under a proxy's artifact destination that an `mlflow-artifacts:` URI names, else undefined. */
export function proxiedKey(uri: string): string | undefined {
  const m = PROXY_URI.exec(uri);
  return m ? decodeURIComponent(m[1]).replace(/\/+$/, '') : undefined;
}

/**
 * The artifact store holding a run's files, rooted at the run's artifact root: a proxied URI under
 * `destination` (the MLflow server's `--artifacts-destination`), else the URI itself (a local path,
 * `file://`, `s3://`).
 */
export function runArtifactRoot(artifactUri: string, destination: string | undefined): ArtifactStore {
  const key = proxiedKey(artifactUri);
  if (key !== undefined) {
    if (!destination)
      throw new Error(
        `run artifacts live behind MLflow's proxy (${artifactUri}): name its destination with --artifacts`,
      );
    return openArtifactStore(destination.endsWith('/') ? `${destination}${key}` : `${destination}/${key}`);
  }
  return openArtifactStore(artifactUri);
}
