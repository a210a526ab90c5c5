import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJson, stringifyJson, TroveError } from '@trove/protocol';
import type { OfflineRecord } from './records.ts';

/** Default folder of the offline log: `TROVE_OFFLINE_DIR`, else `./trove-offline`. */
export function defaultOfflineDir(env: Record<string, string | undefined> = process.env): string {
  return env.TROVE_OFFLINE_DIR || 'trove-offline';
}

/**
 * The append-only offline log: one JSON-lines file per run under `<dir>/runs/`, artifact bytes
 * under `<dir>/blobs/<sha256>`. Each `append` is one write of whole lines followed by an fsync,
 * so a crash loses at most the batch being written, and leaves at worst a torn last line, which
 * `read` skips. Appends are serialised, so lines of concurrent callers never interleave.
 */
export class OfflineLog {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** Appends records to the run's file and fsyncs it. */
  append(runKey: string, records: readonly OfflineRecord[]): Promise<void> {
    const text = records.map((r) => `${stringifyJson(r)}\n`).join('');
    const write = this.chain.then(async () => {
      await mkdir(join(this.dir, 'runs'), { recursive: true });
      const file = await open(join(this.dir, 'runs', `${safeName(runKey)}.jsonl`), 'a');
      try {
        await file.write(text);
        await file.sync();
      } finally {
        await file.close();
      }
    });
    this.chain = write.catch(() => {});
    return write;
  }

  /** Stores bytes once under their SHA-256 (written to a temporary name, fsynced, renamed); resolves to the blob's name. */
  async putBlob(bytes: Uint8Array): Promise<string> {
    const name = createHash('sha256').update(bytes).digest('hex');
    const dir = join(this.dir, 'blobs');
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${name}.${process.pid}.tmp`);
    const file = await open(tmp, 'w');
    try {
      await file.write(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, join(dir, name));
    return name;
  }

  blobPath(name: string): string {
    return join(this.dir, 'blobs', name);
  }

  /** Every run file's records, files in name order, records in the order written. */
  async read(): Promise<{ runKey: string; records: OfflineRecord[] }[]> {
    let names: string[];
    try {
      names = (await readdir(join(this.dir, 'runs'))).filter((n) => n.endsWith('.jsonl')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: { runKey: string; records: OfflineRecord[] }[] = [];
    for (const name of names) {
      const text = await readFile(join(this.dir, 'runs', name), 'utf8');
      out.push({ runKey: name.slice(0, -'.jsonl'.length), records: parseLines(text, name) });
    }
    return out;
  }
}

function parseLines(text: string, name: string): OfflineRecord[] {
  const lines = text.split('\n');
  const records: OfflineRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(parseJson(line) as OfflineRecord);
    } catch {
      // Only the last line can be torn (a crash mid-append); anything else is a damaged log.
      if (i !== lines.length - 1)
        throw new TroveError('INVALID_PARAMETER_VALUE', `Offline log ${name} line ${i + 1} is not JSON.`);
    }
  });
  return records;
}

function safeName(runKey: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(runKey))
    throw new TroveError('INVALID_PARAMETER_VALUE', `Run id '${runKey}' cannot name an offline log file.`);
  return runKey;
}
