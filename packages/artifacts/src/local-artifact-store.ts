import { randomBytes } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound, TroveError } from '@trove/protocol';
import {
  type ArtifactEntry,
  type ArtifactRead,
  type ArtifactStat,
  type ArtifactStore,
  type ByteRange,
  resolveRange,
} from './artifact-store.ts';
import { joinKey, resolveUnderRoot, safeArtifactPath } from './safe-path.ts';

/** In-flight uploads live next to their target (same filesystem, so the final rename is atomic) under this prefix. */
export const UPLOAD_TEMP_PREFIX = '.trove-upload-';

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code;
const invalid = (detail: string) => new TroveError('INVALID_PARAMETER_VALUE', `Invalid path: ${detail}`);

/** Artifacts as plain files under one local directory. */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  #rootReady: Promise<unknown> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The absolute path of `key`, after checking that no symlink leads out of the root. */
  async #path(key: string): Promise<string> {
    this.#rootReady ??= mkdir(this.root, { recursive: true });
    await this.#rootReady;
    return resolveUnderRoot(this.root, key);
  }

  async put(path: string, body: Readable): Promise<{ size: number }> {
    if (path === '') throw invalid('empty');
    const target = await this.#path(path);
    const dir = dirname(target);
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      if (errno(e) === 'ENOTDIR' || errno(e) === 'EEXIST') throw invalid('a parent of this path is a file');
      throw e;
    }
    const temp = join(dir, `${UPLOAD_TEMP_PREFIX}${randomBytes(8).toString('hex')}.part`);
    try {
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      const { size } = await stat(temp);
      await rename(temp, target);
      return { size };
    } catch (e) {
      await rm(temp, { force: true });
      if (errno(e) === 'EISDIR' || errno(e) === 'ENOTEMPTY' || errno(e) === 'EEXIST')
        throw invalid('a directory exists at this path');
      throw e;
    }
  }

  async open(path: string, range?: ByteRange): Promise<ArtifactRead> {
    const target = await this.#path(path);
    let handle: FileHandle;
    try {
      handle = await open(target, 'r');
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR' || errno(e) === 'EISDIR') throw missing(path);
      throw e;
    }
    try {
      // Size and bytes come from the same open file, so a concurrent overwrite (a rename)
      // cannot make them disagree.
      const info = await handle.stat();
      if (!info.isFile()) throw missing(path);
      const { start, end } = resolveRange(range, info.size);
      const contentLength = end - start + 1;
      if (contentLength === 0) {
        await handle.close();
        return { stream: Readable.from([]), size: info.size, contentLength, start, end };
      }
      return { stream: handle.createReadStream({ start, end }), size: info.size, contentLength, start, end };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async stat(path: string): Promise<ArtifactStat | undefined> {
    const target = await this.#path(path);
    try {
      const info = await stat(target);
      if (info.isDirectory()) return { isDir: true };
      return info.isFile() ? { isDir: false, size: info.size } : undefined;
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async list(dir: string): Promise<ArtifactEntry[]> {
    const target = await this.#path(dir);
    let names: Dirent[];
    try {
      names = await readdir(target, { withFileTypes: true });
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return [];
      throw e;
    }
    const entries = await Promise.all(
      names.map(async (dirent): Promise<ArtifactEntry | undefined> => {
        const name = dirent.name;
        // Names a client could never address (and would refuse in a listing) stay hidden,
        // as do in-flight uploads and symlinks leading out of the root.
        if (name.startsWith(UPLOAD_TEMP_PREFIX) || !isAddressable(name)) return undefined;
        let abs = join(target, name);
        if (dirent.isSymbolicLink()) {
          try {
            abs = await resolveUnderRoot(this.root, joinKey(dir, name));
          } catch {
            return undefined;
          }
        }
        const info = await stat(abs).catch(() => undefined);
        if (info?.isDirectory()) return { name, isDir: true };
        if (info?.isFile()) return { name, isDir: false, size: info.size };
        return undefined;
      }),
    );
    return entries
      .filter((e): e is ArtifactEntry => e !== undefined)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(path: string): Promise<void> {
    if (path === '') throw invalid('refusing to delete the artifact root');
    await rm(await this.#path(path), { recursive: true, force: true });
  }
}

function missing(path: string): TroveError {
  return notFound(`Artifact '${path}' does not exist or is a directory.`);
}

function isAddressable(name: string): boolean {
  try {
    return safeArtifactPath(name, { encoded: false }) === name;
  } catch {
    return false;
  }
}
