import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { type DdlDialect, sqliteDdl } from './dialect.ts';
import { migrate } from './migrator.ts';
import type { Database } from './schema.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';

/**
 * An open metadata store: the Kysely query builder plus, on SQLite, the raw connection that the
 * hot paths (metric ingest, history) use through prepared statements.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly ddl: DdlDialect;
  /** Present on SQLite only. */
  readonly sqlite?: BetterSqlite3.Database;
  /**
   * Runs `fn` while holding the connection exclusively. On SQLite every write goes through here
   * (or a Kysely transaction, which takes the same lock), so raw statements never land inside
   * another request's open transaction.
   */
  exclusive<T>(fn: (raw: BetterSqlite3.Database) => T): Promise<T>;
  close(): Promise<void>;
}

/** Parses `sqlite:///abs/path.db`, `sqlite://relative.db` or a plain path into a file path. */
export function sqlitePathFromUri(uri: string): string {
  if (uri === ':memory:' || uri === 'sqlite://:memory:' || uri === 'sqlite:///:memory:') return ':memory:';
  if (uri.startsWith('sqlite:///')) return `/${uri.slice('sqlite:///'.length)}`.replace(/^\/\//, '/');
  if (uri.startsWith('sqlite://')) return resolve(uri.slice('sqlite://'.length));
  return resolve(uri);
}

export async function openStore(uri: string, options: { migrate?: boolean } = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(uri)) {
    throw new Error('PostgreSQL backend is not available yet in this build (see issue "Scale-out").');
  }
  const path = sqlitePathFromUri(uri);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  raw.pragma('journal_mode = WAL');
  // NORMAL keeps every committed transaction across a process kill (the WAL is in the OS page
  // cache); only an OS crash or power loss can drop the last commits.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 10000');
  raw.pragma('cache_size = -65536');
  raw.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: raw }) });
  if (options.migrate !== false) await migrate(db as Kysely<unknown>, sqliteDdl);
  return {
    db,
    ddl: sqliteDdl,
    sqlite: raw,
    exclusive: (fn) => db.connection().execute(async () => fn(raw)),
    close: () => db.destroy(),
  };
}

export { migrate, sql };
