import { isAbsolute, relative, resolve } from 'node:path';

/**
 * The local directory an artifact URI names (`/abs/dir` or `file:///abs/dir`, as MLflow records
 * local roots), or `undefined` for any other location.
 */
export function localArtifactPath(uri: string): string | undefined {
  if (uri.startsWith('/')) return uri;
  const m = /^file:(?:\/\/(?:localhost)?)?(\/[^?#]*)$/i.exec(uri);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** True when `path` is `root` or lies below it (both resolved; no `..` escape). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * A location as MLflow records it: a relative local path becomes absolute against the server's
 * working directory (`my_location` → `/srv/my_location`); URIs and absolute paths stay as given.
 */
export function recordedLocation(location: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) || isAbsolute(location)) return location;
  return resolve(cwd, location);
}
