/** Finds the folders of a run's artifacts that hold an MLflow model (an `MLmodel` file). */

export interface ListedFile {
  path: string;
  is_dir?: boolean;
}

export interface FolderSearch {
  /** Folders this deep below the root are not opened (the root is depth 0). */
  maxDepth: number;
  /** At most this many listings, so a run with thousands of folders stays cheap. */
  maxListings: number;
}

export interface ModelFolders {
  /** Folders holding `MLmodel`, shallowest first (`''` is the artifact root itself). */
  folders: string[];
  /** Some folders were left unopened (depth or listing budget). */
  partial: boolean;
}

/** Breadth-first over `list` (one artifact listing per folder), within the search's bounds. */
export async function findModelFolders(
  list: (dir: string) => Promise<readonly ListedFile[]>,
  search: FolderSearch = { maxDepth: 3, maxListings: 40 },
): Promise<ModelFolders> {
  const folders: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: '', depth: 0 }];
  let listings = 0;
  let partial = false;
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (listings >= search.maxListings) {
      partial = true;
      break;
    }
    listings++;
    const files = await list(next.dir);
    if (files.some((f) => !f.is_dir && baseName(f.path) === 'MLmodel')) {
      // A model's own subfolders (code/, artifacts/) hold its parts, not other models.
      folders.push(next.dir);
      continue;
    }
    const dirs = files.filter((f) => f.is_dir).map((f) => f.path);
    if (dirs.length > 0 && next.depth >= search.maxDepth) partial = true;
    else for (const dir of dirs.sort()) queue.push({ dir, depth: next.depth + 1 });
  }
  return { folders, partial };
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The model source MLflow's `register_model` writes for a run's model folder. */
export const runModelSource = (runId: string, folder: string) =>
  folder ? `runs:/${runId}/${folder}` : `runs:/${runId}`;
