import { lstat, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { TroveError } from '@trove/protocol';

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
}

const invalid = (detail: string) => new TroveError('INVALID_PARAMETER_VALUE', `Invalid path: ${detail}`);

// C0/C1 controls, DEL, and bidi overrides (they make a name display differently from what it is).
const FORBIDDEN_CHARS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const DRIVE = /^[A-Za-z]:/;
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * A percent-escape left after the one decode that a later layer decoding again (any number of
 * times: `%252e` → `%2e` → `.`) would turn into a dot, separator, backslash, NUL, CR/LF, `#` or `;`.
 * Other escapes stay literal text: MLflow's `log_image(key=, step=)` names files
 * `<key>%step%<n>%timestamp%<ms>%<uuid>.png`, where `%17…` is part of the name, not an escape.
 */
const STILL_ENCODED = /%(25)*(2[eEfF]|5[cC]|00|0[aAdD]|23|3[bB])/;

/**
 * THE path check for every artifact path: decodes at most once, rejects every traversal or
 * smuggling trick, and returns a normalised relative key (`a/b/c`, no empty or `.` segments).
 * Throws `INVALID_PARAMETER_VALUE` ("Invalid path ...") otherwise.
 */
export function safeArtifactPath(input: string, options: SafePathOptions = {}): string {
  const { encoded = true, allowEmpty = false } = options;
  if (typeof input !== 'string') throw invalid('not a string');
  let path = input;
  if (encoded) {
    try {
      path = decodeURIComponent(input);
    } catch {
      throw invalid('malformed percent-encoding');
    }
  }
  // A dangerous escape surviving the one decode means double encoding (`%252e`), which a later
  // layer might decode again; refusing it keeps "what we checked" equal to "what we open".
  // A lone '%' (`100%.txt`) and harmless escapes (`%17` in MLflow's image names) are allowed, as MLflow does.
  checkChars(path);
  // Compatibility forms (fullwidth dots/slashes...) must not turn into separators or `..`
  // on a filesystem or tool that folds them.
  const folded = path.normalize('NFKC');
  if (folded !== path) checkChars(folded);
  const key = normalise(path);
  if (folded !== path) normalise(folded);
  if (key === '' && !allowEmpty) throw invalid('empty');
  if (Buffer.byteLength(key) > MAX_PATH_BYTES) throw invalid(`longer than ${MAX_PATH_BYTES} bytes`);
  return key;
}

function checkChars(path: string): void {
  if (LONE_SURROGATE.test(path)) throw invalid('malformed unicode');
  if (STILL_ENCODED.test(path)) throw invalid('percent-escape after decoding (double encoding)');
  if (FORBIDDEN_CHARS.test(path)) throw invalid('control character');
  if (path.includes('\\')) throw invalid('backslash');
  if (path.includes('#')) throw invalid("'#'");
  if (path.includes(';')) throw invalid("';'");
  if (path.startsWith('/')) throw invalid('absolute path');
  if (DRIVE.test(path)) throw invalid('drive path');
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw invalid("'..' segment");
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
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ELOOP') throw invalid('symlink out of the artifact root');
    throw e;
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw invalid('symlink out of the artifact root');
  }
  return target;
}
