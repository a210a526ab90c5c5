import { createHash, randomBytes } from 'node:crypto';
import { isPostgresUri, openStore, type Store } from '@trove/store';
import { inject } from 'vitest';
import { createDatabase, dropDatabase, runPrefix } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Prefix of this run's PostgreSQL databases (set by the postgres project's global setup). */
    troveDbPrefix?: string;
    /** A database the global setup migrated once; test databases are copies of it. */
    troveDbTemplate?: string;
  }
}

export type TestBackend = 'sqlite' | 'postgres';

/** The backend this test process runs against: `TROVE_TEST_BACKEND`, set per vitest project. */
export function testBackend(): TestBackend {
  return process.env.TROVE_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

let fallbackPrefix: string | undefined;

function prefix(): string {
  const provided = inject('troveDbPrefix');
  if (provided) return provided;
  fallbackPrefix ??= runPrefix();
  return fallbackPrefix;
}

/** A fresh PostgreSQL database for one test server or store: migrated, or `empty`. */
export async function createTestDatabase(
  options: { empty?: boolean } = {},
): Promise<{ uri: string; drop(): Promise<void> }> {
  const name = `${prefix()}${randomBytes(5).toString('hex')}`;
  const uri = await createDatabase(name, options.empty ? undefined : inject('troveDbTemplate'));
  return { uri, drop: () => dropDatabase(name) };
}

/**
 * The backend store URI a test server gets: `sqlitePath` on SQLite; on PostgreSQL a fresh
 * database, which `release` drops.
 */
export async function testStoreUri(sqlitePath: string): Promise<{ uri: string; release(): Promise<void> }> {
  if (testBackend() === 'sqlite') return { uri: sqlitePath, release: async () => {} };
  const { uri, drop } = await createTestDatabase();
  return { uri, release: drop };
}

/** A migrated, empty store for store-level tests: SQLite in memory, or a fresh PostgreSQL database. */
export async function openTestStore(): Promise<Store> {
  if (testBackend() === 'sqlite') return openStore(':memory:');
  const { uri, drop } = await createTestDatabase();
  const store = await openStore(uri, { poolSize: 4 });
  return {
    ...store,
    async close() {
      await store.close();
      await drop();
    },
  };
}

const perPath = new Map<string, Promise<string>>();

/**
 * For servers started as processes with `--backend-store-uri <file>`: on PostgreSQL the file
 * path stands for a database of its own (the same path, the same database, so a restarted
 * server finds its data). The run's global teardown drops them.
 */
export function processStoreUri(value: string): Promise<string> {
  if (testBackend() === 'sqlite' || isPostgresUri(value)) return Promise.resolve(value);
  let uri = perPath.get(value);
  if (!uri) {
    const name = `${prefix()}p${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
    uri = createDatabase(name, inject('troveDbTemplate'));
    perPath.set(value, uri);
  }
  return uri;
}
