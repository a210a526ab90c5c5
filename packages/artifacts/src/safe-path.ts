import { lstat, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { TroveError } from '@trove/protocol';
import { refusedByMlflowClient } from './mlflow-client-name.ts';

/** Longest accepted key and segment, in UTF-8 bytes (Linux NAME_MAX is 255; PATH_MAX 4096 leaves room for the root). */
export const MAX_PATH_BYTES = 2048;
export const MAX_SEGMENT_BYTES = 255;

export interface SafePathOptions {
  /**
   * True (default) when `input` is still percent-encoded (a raw URL tail): it is decoded once.
   * False when the framework already decoded it once (query-string values).
   */
  encoded?: boolean;
  /** Accept the empty path (the root), e.g. for listings. */
  allowEmpty?: boolean;
  /**
   * A path to read (`'read'`) may hold control characters: MLflow's client asks for the names it
   * listed as it decoded them (`%12` → U+0012), and a read creates nothing. A path to write
   * (`'write'`, the default) must also be a name MLflow's client can list back.
   */
  access?: 'read' | 'write';
}

const invalid = (detail: string) => new TroveError('INVALID_PARAMETER_VALUE', `Invalid path: ${detail}`);
/** What MLflow answers, word for word, for the paths it refuses too (its tests and client compare the whole text). */
const INVALID_AS_MLFLOW = () => new TroveError('INVALID_PARAMETER_VALUE', 'Invalid path');

// C0/C1 controls, DEL, and bidi overrides (they make a name display differently from what it is).
const FORBIDDEN_CHARS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const DRIVE = /^[A-Za-z]:/;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * THE path check for every artifact path: decodes at most once, rejects every traversal or
 * smuggling trick, and returns a normalised relative key (`a/b/c`, no empty or `.` segments).
 * Throws `INVALID_PARAMETER_VALUE` ("Invalid path ...") otherwise.
 */
export function safeArtifactPath(input: string, options: SafePathOptions = {}): string {
  const { encoded = true, allowEmpty = false, access = 'write' } = options;
  if (typeof input !== 'string') throw invalid('not a string');
  let path = input;
  if (encoded) {
    try {
      path = decodeURIComponent(input);
    } catch {
      throw invalid('malformed percent-encoding');
    }
  }
  // Decoded exactly once, and the result is the key, literally: an escape left after that decode
  // (`%2e` in `%252e`, or MLflow's image names `…%step%12%timestamp%17…%2e4f….png`) is part of the
  // name, never decoded again by any layer of Trove, so it cannot climb out of the root.
  checkChars(path, access);
  // Compatibility forms (fullwidth dots/slashes...) must not turn into separators or `..`
  // on a filesystem or tool that folds them.
  const folded = path.normalize('NFKC');
  if (folded !== path) checkChars(folded, access);
  const key = normalise(path);
  if (folded !== path) normalise(folded);
  if (key === '' && !allowEmpty) throw invalid('empty');
  if (Buffer.byteLength(key) > MAX_PATH_BYTES) throw invalid(`longer than ${MAX_PATH_BYTES} bytes`);
  // A name MLflow's client would refuse when listing it ('#' or '..' after its repeated decoding,
  // e.g. `log_image` at step 23: `%step%23%…`) would break that whole listing: refused, as MLflow's server refuses it.
  if (access === 'write' && refusedByMlflowClient(key)) throw INVALID_AS_MLFLOW();
  return key;
}

function checkChars(path: string, access: 'read' | 'write'): void {
  if (LONE_SURROGATE.test(path)) throw invalid('malformed unicode');
  if (path.includes('\0')) throw invalid('control character');
  if (path.includes('#')) throw INVALID_AS_MLFLOW();
  if (access === 'write') {
    // Names to store stay plain; a read may name what a client decoded (a lookup creates nothing).
    if (FORBIDDEN_CHARS.test(path)) throw invalid('control character');
    if (path.includes('\\')) throw invalid('backslash');
    if (path.includes(';')) throw invalid("';'");
  }
  if (path.startsWith('/')) throw INVALID_AS_MLFLOW();
  if (DRIVE.test(path)) throw INVALID_AS_MLFLOW();
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw INVALID_AS_MLFLOW();
    // Windows ignores trailing dots and spaces, so `.. ` or `...` could still climb there.
    if (/^\.[. ]*$/.test(segment)) throw invalid('dot segment');
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw invalid(`segment longer than ${MAX_SEGMENT_BYTES} bytes`);
    out.push(segment);
  }
  return out.join('/');
}

/** Joins two safe keys (either may be empty). */
export function joinKey(...keys: string[]): string {
  return keys.filter((k) => k !== '').join('/');
}

/**
 * Resolves a safe key under `root` and verifies that no symlink on the way (the deepest
 * existing ancestor, resolved with `realpath`) leads outside `root`. Returns the absolute path.
 */
export async function resolveUnderRoot(root: string, key: string): Promise<string> {
  const target = key === '' ? root : join(root, ...key.split('/'));
  const realRoot = await realpath(root);
  let probe = target;
  for (;;) {
    try {
      await lstat(probe);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
      const parent = dirname(probe);
      if (parent === probe) break;
      probe = parent;
    }
  }
  let real: string;
  try {
    real = await realpath(probe);
  } catch (e) {
    // A dangling symlink: where it points is unknowable, so it is treated as an escape.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ELOOP')
      throw invalid('symlink out of the artifact root');
    throw e;
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw invalid('symlink out of the artifact root');
  }
  return target;
}
