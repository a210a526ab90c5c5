import type { Readable } from 'node:stream';

/**
 * A byte range as HTTP asks for it: `bytes=start-end` (end inclusive, optional) or
 * `bytes=-suffix` (the last `suffix` bytes). The store resolves it against the object's size,
 * so a backend can do it in one request (S3 GetObject takes the same Range header).
 */
export type ByteRange = { start: number; end?: number } | { suffix: number };

export interface ArtifactRead {
  stream: Readable;
  /** Size of the whole object. */
  size: number;
  /** Bytes the stream yields (`end - start + 1`). */
  contentLength: number;
  start: number;
  /** Inclusive; `start - 1` for an empty object. */
  end: number;
}

export interface ArtifactStat {
  isDir: boolean;
  /** Absent for directories. */
  size?: number;
}

export interface ArtifactEntry {
  /** Basename within the listed directory. */
  name: string;
  isDir: boolean;
  size?: number;
}

/**
 * Artifact storage keyed by relative paths (`0/<run>/artifacts/model/MLmodel`). Every key has
 * already passed `safeArtifactPath`; backends may still refuse keys they cannot store.
 * Directories are implicit (S3 has none): `put` creates parents, `list` of a missing
 * directory is empty, `delete` removes a whole subtree.
 */
export interface ArtifactStore {
  /** Closes what the store holds open (an S3 client's sockets); stores with nothing open leave it out. */
  destroy?(): void;
  /** Streams `body` into `path`, replacing any existing object atomically (readers see old or new, never partial). */
  put(path: string, body: Readable): Promise<{ size: number }>;
  /** Opens `path` for reading; throws `RESOURCE_DOES_NOT_EXIST` for a missing object or a directory, `RangeNotSatisfiable` for a bad range. */
  open(path: string, range?: ByteRange): Promise<ArtifactRead>;
  /** `undefined` when nothing exists at `path`. */
  stat(path: string): Promise<ArtifactStat | undefined>;
  /** Direct children of `dir` sorted by name; empty for a missing directory or a file. */
  list(dir: string): Promise<ArtifactEntry[]>;
  /** Removes `path` and everything under it; a missing path is not an error. */
  delete(path: string): Promise<void>;
}

/** The requested range lies outside the object (HTTP 416). */
export class RangeNotSatisfiable extends Error {
  readonly size: number;
  constructor(size: number) {
    super(`Requested range not satisfiable (object size ${size} bytes).`);
    this.name = 'RangeNotSatisfiable';
    this.size = size;
  }
}

/** Resolves a range against a size: `{start, end}` inclusive, or throws `RangeNotSatisfiable`. */
export function resolveRange(range: ByteRange | undefined, size: number): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  if ('suffix' in range) {
    if (!(range.suffix > 0) || size === 0) throw new RangeNotSatisfiable(size);
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  const end = range.end === undefined ? size - 1 : Math.min(range.end, size - 1);
  if (!(range.start >= 0) || range.start >= size || end < range.start) throw new RangeNotSatisfiable(size);
  return { start: range.start, end };
}

/**
 * Parses an HTTP `Range` header. Only a single `bytes` range is honoured; anything else
 * (other units, several ranges, bad syntax) yields `undefined`, meaning "send it all", as
 * RFC 9110 allows.
 */
export function parseRangeHeader(header: string | undefined): ByteRange | undefined {
  const m = header === undefined ? null : /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  if (m[2] === '') return { start };
  const end = Number(m[2]);
  return end < start ? undefined : { start, end };
}
