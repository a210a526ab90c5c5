import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store.ts';

// A SQLite file whatever the backend under test: the checkpointer is a worker thread with its own
// connection to the file.
const dir = mkdtempSync(join(os.tmpdir(), 'trove-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('background WAL checkpointer', () => {
  it('moves committed pages into the database file off the request connection, and stops on close', async () => {
    const path = join(dir, 'ckpt.db');
    const store = await openStore(path, { checkpointInBackground: true });
    const raw = store.sqlite as NonNullable<typeof store.sqlite>;
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    raw.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)');
    const insert = raw.prepare('INSERT INTO filler (data) VALUES (?)');
    const before = statSync(path).size;
    for (let i = 0; i < 200; i++) insert.run(Buffer.alloc(8192, i));
    // 1.6 MB committed to the WAL; the worker copies it into the main file within a few passes.
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
    await store.close();
    const reopened = await openStore(path, { migrate: false });
    expect(reopened.sqlite?.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(200);
    await reopened.close();
  });
});
