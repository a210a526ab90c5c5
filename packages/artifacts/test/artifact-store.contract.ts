import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArtifactStore, type ByteRange, RangeNotSatisfiable } from '../src/index.ts';

export interface ContractSubject {
  store: ArtifactStore;
  cleanup?: () => Promise<void>;
}

export interface ContractOptions {
  /** Bytes a backend may hold in memory while streaming the large upload (S3 buffers whole parts). */
  maxBufferedBytes?: number;
  largeFileBytes?: number;
}

const text = (s: string) => Readable.from([Buffer.from(s)]);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The behaviour every `ArtifactStore` backend must show; run it with a factory for a fresh, empty store. */
export function artifactStoreContract(
  name: string,
  factory: () => Promise<ContractSubject>,
  options: ContractOptions = {},
): void {
  const { maxBufferedBytes = 16 * 1024 * 1024, largeFileBytes = 50 * 1024 * 1024 } = options;

  describe(`ArtifactStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: ArtifactStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup?.();
    });

    const read = async (path: string, range?: ByteRange) =>
      (await readAll((await store.open(path, range)).stream)).toString();

    it('puts and gets a file, reporting sizes', async () => {
      expect(await store.put('1/run/artifacts/a.txt', text('hello world'))).toEqual({ size: 11 });
      const opened = await store.open('1/run/artifacts/a.txt');
      expect({ size: opened.size, contentLength: opened.contentLength, start: opened.start, end: opened.end }).toEqual({
        size: 11,
        contentLength: 11,
        start: 0,
        end: 10,
      });
      expect((await readAll(opened.stream)).toString()).toBe('hello world');
      expect(await store.stat('1/run/artifacts/a.txt')).toEqual({ isDir: false, size: 11 });
      expect(await store.stat('1/run')).toEqual({ isDir: true });
    });

    it('stores empty files', async () => {
      await store.put('empty.bin', Readable.from([]));
      const opened = await store.open('empty.bin');
      expect(opened.size).toBe(0);
      expect(opened.contentLength).toBe(0);
      expect((await readAll(opened.stream)).length).toBe(0);
    });

    it('serves byte ranges', async () => {
      await store.put('r.txt', text('0123456789'));
      expect(await read('r.txt', { start: 2, end: 5 })).toBe('2345');
      expect(await read('r.txt', { start: 7 })).toBe('789');
      expect(await read('r.txt', { suffix: 3 })).toBe('789');
      expect(await read('r.txt', { suffix: 50 })).toBe('0123456789');
      expect(await read('r.txt', { start: 8, end: 99 })).toBe('89');
      const opened = await store.open('r.txt', { start: 2, end: 5 });
      expect({ size: opened.size, contentLength: opened.contentLength, start: opened.start, end: opened.end }).toEqual({
        size: 10,
        contentLength: 4,
        start: 2,
        end: 5,
      });
      opened.stream.destroy();
    });

    it('rejects unsatisfiable ranges', async () => {
      await store.put('r.txt', text('0123456789'));
      for (const range of [{ start: 10 }, { start: 11, end: 20 }, { suffix: 0 }, { start: 5, end: 4 }] as ByteRange[]) {
        await expect(store.open('r.txt', range)).rejects.toBeInstanceOf(RangeNotSatisfiable);
      }
    });

    it('overwrites atomically and silently', async () => {
      await store.put('o.txt', text('first version, long'));
      await store.put('o.txt', text('second'));
      expect(await read('o.txt')).toBe('second');
      expect(await store.list('')).toEqual([{ name: 'o.txt', isDir: false, size: 6 }]);
    });

    it('answers not found for missing files and directories', async () => {
      await store.put('d/f.txt', text('x'));
      for (const path of ['nope.txt', 'd/nope', 'd', 'd/f.txt/below']) {
        await expect(store.open(path)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      }
      expect(await store.stat('nope.txt')).toBeUndefined();
      expect(await store.stat('d/f.txt/below')).toBeUndefined();
    });

    it('lists direct children sorted, with sizes for files only', async () => {
      await store.put('1/r/artifacts/model/MLmodel', text('flavors: {}'));
      await store.put('1/r/artifacts/model/data/weights.bin', text('abc'));
      await store.put('1/r/artifacts/b.txt', text('bb'));
      await store.put('1/r/artifacts/a.txt', text('a'));
      expect(await store.list('1/r/artifacts')).toEqual([
        { name: 'a.txt', isDir: false, size: 1 },
        { name: 'b.txt', isDir: false, size: 2 },
        { name: 'model', isDir: true },
      ]);
      expect(await store.list('1/r/artifacts/model')).toEqual([
        { name: 'MLmodel', isDir: false, size: 11 },
        { name: 'data', isDir: true },
      ]);
      expect(await store.list('')).toEqual([{ name: '1', isDir: true }]);
    });

    it('lists nothing for a missing directory or a file', async () => {
      await store.put('x/f.txt', text('x'));
      expect(await store.list('missing')).toEqual([]);
      expect(await store.list('x/f.txt')).toEqual([]);
    });

    it('deletes files and whole subtrees; deleting nothing is fine', async () => {
      await store.put('t/keep.txt', text('k'));
      await store.put('t/sub/a.txt', text('a'));
      await store.put('t/sub/deeper/b.txt', text('b'));
      await store.delete('t/keep.txt');
      expect(await store.stat('t/keep.txt')).toBeUndefined();
      await store.delete('t/sub');
      expect(await store.list('t')).toEqual([]);
      await expect(store.open('t/sub/deeper/b.txt')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await store.delete('never/was');
    });

    it('keeps the old content when an upload stream fails', async () => {
      await store.put('f.txt', text('old'));
      const failing = new Readable({
        read() {
          this.push(Buffer.from('partial'));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put('f.txt', failing)).rejects.toThrow('client went away');
      expect(await read('f.txt')).toBe('old');
      expect(await store.list('')).toEqual([{ name: 'f.txt', isDir: false, size: 3 }]);
    });

    it('streams a large file in and out without buffering it', async () => {
      // A few distinct chunks reused over and over: the producer allocates nothing, so any
      // growth in external memory is the backend holding data.
      const chunkSize = 256 * 1024;
      const pool = Array.from({ length: 8 }, (_, i) => Buffer.alloc(chunkSize, i * 31 + 7));
      const expected = createHash('sha256');
      const before = process.memoryUsage().arrayBuffers;
      let peak = before;
      const sample = () => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      };
      const sampler = setInterval(sample, 1);
      let produced = 0;
      const source = new Readable({
        highWaterMark: chunkSize,
        read() {
          sample();
          if (produced >= largeFileBytes) return this.push(null);
          const chunk = pool[(produced / chunkSize) % pool.length];
          expected.update(chunk);
          produced += chunk.length;
          this.push(chunk);
        },
      });
      const written = await store.put('big/file.bin', source).finally(() => clearInterval(sampler));
      sample();
      expect(written).toEqual({ size: largeFileBytes });
      expect(peak - before).toBeLessThan(maxBufferedBytes);

      const actual = createHash('sha256');
      const opened = await store.open('big/file.bin');
      expect(opened.size).toBe(largeFileBytes);
      let bytes = 0;
      for await (const chunk of opened.stream) {
        actual.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      expect(bytes).toBe(largeFileBytes);
      expect(actual.digest('hex')).toBe(expected.digest('hex'));
      expect(await read('big/file.bin', { start: largeFileBytes - 4 })).toHaveLength(4);
    });
  });
}
