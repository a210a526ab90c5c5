import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalArtifactStore } from '../src/index.ts';
import { artifactStoreContract } from './artifact-store.contract.ts';

artifactStoreContract('local disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'trove-artifacts-'));
  // The root is created lazily: point below the temp dir to prove it.
  return { store: new LocalArtifactStore(join(dir, 'root')), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('LocalArtifactStore on disk', () => {
  let base: string;
  let root: string;
  let outside: string;
  let store: LocalArtifactStore;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'trove-local-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await mkdir(root);
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'secret');
    store = new LocalArtifactStore(root);
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('never follows a symlink out of the root', async () => {
    await symlink(outside, join(root, 'escape'));
    await symlink(join(outside, 'secret.txt'), join(root, 'secret-link'));
    await expect(store.open('escape/secret.txt')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.open('secret-link')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.put('escape/new.txt', Readable.from(['x']))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(store.put('escape/deep/new.txt', Readable.from(['x']))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(store.list('escape')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.delete('escape')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.stat('escape/secret.txt')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    expect(await store.list('')).toEqual([]);
    expect(await readdir(outside)).toEqual(['secret.txt']);
  });

  it('follows symlinks that stay inside the root', async () => {
    await store.put('real/a.txt', Readable.from(['inside']));
    await symlink(join(root, 'real'), join(root, 'alias'));
    expect((await store.open('alias/a.txt')).size).toBe(6);
    expect(await store.list('')).toEqual([
      { name: 'alias', isDir: true },
      { name: 'real', isDir: true },
    ]);
  });

  it('treats a dangling symlink as an escape', async () => {
    await symlink(join(base, 'nowhere'), join(root, 'dangling'));
    await expect(store.put('dangling/x.txt', Readable.from(['x']))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
  });

  it('leaves no temp file behind and hides in-flight uploads', async () => {
    await store.put('d/a.txt', Readable.from(['a']));
    await writeFile(join(root, 'd', '.trove-upload-0123.part'), 'partial');
    expect(await store.list('d')).toEqual([{ name: 'a.txt', isDir: false, size: 1 }]);
    await rm(join(root, 'd', '.trove-upload-0123.part'));
    await store.put('d/a.txt', Readable.from(['again']));
    expect(await readdir(join(root, 'd'))).toEqual(['a.txt']);
  });

  it('hides names a client could not address', async () => {
    await writeFile(join(root, 'ok.txt'), '1');
    await writeFile(join(root, 'bad#name'), '1');
    await writeFile(join(root, 'back\\slash'), '1');
    expect((await store.list('')).map((e) => e.name)).toEqual(['ok.txt']);
  });

  it('refuses to replace a directory with a file or write below a file', async () => {
    await store.put('d/a.txt', Readable.from(['a']));
    await expect(store.put('d', Readable.from(['x']))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.put('d/a.txt/b.txt', Readable.from(['x']))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(store.delete('')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});
