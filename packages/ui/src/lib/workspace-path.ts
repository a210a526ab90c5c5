/**
 * The UI's workspace lives in the path: `/workspaces/<name>/experiments/3` is page
 * `/experiments/3` of workspace `<name>`; paths without the prefix belong to `default`, so the
 * links of a single-workspace install stay as they were. Pure.
 */

export const DEFAULT_WORKSPACE = 'default';
const PREFIX = /^\/workspaces\/([^/?#]+)(.*)$/;

/** Splits a browser path into its workspace and the page path the routes match. */
export function splitWorkspacePath(pathname: string): { workspace: string; path: string } {
  const m = PREFIX.exec(pathname);
  if (!m) return { workspace: DEFAULT_WORKSPACE, path: pathname };
  let workspace = m[1];
  try {
    workspace = decodeURIComponent(workspace);
  } catch {
    // keep it as written
  }
  return { workspace, path: m[2] === '' ? '/' : m[2] };
}

/** The browser path of page `path` (which may carry `?query`) in `workspace`. */
export function workspacePath(workspace: string, path: string): string {
  if (workspace === DEFAULT_WORKSPACE) return path;
  return `/workspaces/${encodeURIComponent(workspace)}${path === '/' ? '' : path}`;
}

/** True when `to` already names its workspace (a full browser path) or is not an app path. */
export function isBrowserPath(to: string): boolean {
  return !to.startsWith('/') || PREFIX.test(to.split('?')[0]);
}

/** Where the workspace's API lives: `''` for `default`, `/w/<name>` otherwise. */
export function apiPrefix(workspace: string): string {
  return workspace === DEFAULT_WORKSPACE ? '' : `/w/${encodeURIComponent(workspace)}`;
}
