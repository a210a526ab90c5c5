import { useQueries } from '@tanstack/react-query';
import { listArtifacts } from '../../api/mlflow.ts';

/** Folders deeper than this, or files past this count, are not listed: enough for side-by-side previews. */
const MAX_DEPTH = 4;
const MAX_FILES = 500;

/** Every file path of a run's artifacts, folder by folder (breadth first), within the limits above. */
export async function listArtifactFiles(runId: string, signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  let level = [''];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && files.length < MAX_FILES; depth++) {
    const listings = await Promise.all(level.map((dir) => listArtifacts(runId, dir, signal)));
    level = [];
    for (const f of listings.flat()) {
      if (f.is_dir) level.push(f.path);
      else if (files.length < MAX_FILES) files.push(f.path);
    }
  }
  return files;
}

export function useArtifactFiles(runIds: readonly string[]) {
  return useQueries({
    queries: runIds.map((id) => ({
      queryKey: ['artifact-files', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => listArtifactFiles(id, signal),
    })),
  });
}
