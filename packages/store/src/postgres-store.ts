import { TroveError } from '@trove/protocol';
import { type CompiledQuery, type DatabaseConnection, type Driver, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { postgresDdl } from './dialect.ts';
import { migrate } from './migrator.ts';
import { namePreparedStatements } from './postgres-prepared.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

const INT8 = 20;
const NUMERIC = 1700;

/**
 * int8 as a JS number while it is exact, as a BigInt beyond 2^53 (steps and timestamps are int64),
 * never a string; numeric (what sum() and avg() of integers return) as a number.
 */
export function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === undefined || format === 'text') {
      if (oid === INT8) return parseInt8;
      if (oid === NUMERIC) return (text: string) => Number(text);
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const UNIQUE_VIOLATION = '23505';
/**
 * Characters PostgreSQL cannot hold: NUL in text (character_not_in_repertoire, "invalid byte
 * sequence for encoding UTF8: 0x00") and `\u0000` in json (untranslatable_character).
 */
const UNSTORABLE_CHARACTER = new Set(['22021', '22P05']);

/**
 * A unique violation on PostgreSQL is a lost race, not a fault: two replicas (or two requests in
 * one) both found no row and both inserted it. SQLite serialises writers, so the loser there reads
 * the winner's row and answers RESOURCE_ALREADY_EXISTS; this answers the same instead of a 500.
 * A value with a character PostgreSQL cannot store (SQLite can) is the request's fault: 400.
 */
export function translatePgError(e: unknown): unknown {
  const err = e as { code?: unknown; detail?: unknown; constraint?: unknown };
  if (err && err.code === UNIQUE_VIOLATION) {
    const detail = typeof err.detail === 'string' ? err.detail : String((e as Error).message);
    return new TroveError('RESOURCE_ALREADY_EXISTS', `A concurrent request created it first: ${detail}`);
  }
  if (err && typeof err.code === 'string' && UNSTORABLE_CHARACTER.has(err.code)) {
    return new TroveError(
      'INVALID_PARAMETER_VALUE',
      `A value in the request holds a character the PostgreSQL backend cannot store (NUL, \\u0000): ${(e as Error).message}`,
    );
  }
  return e;
}

/** Kysely's PostgreSQL dialect whose connections restate driver errors (`translatePgError`). */
class TrovePostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    const patched = new WeakSet<DatabaseConnection>();
    driver.acquireConnection = async () => {
      const connection = await acquire();
      // The driver keeps one connection object per pooled client: patch each once, in place
      // (it must stay the object the driver later releases).
      if (!patched.has(connection)) {
        const execute = connection.executeQuery.bind(connection);
        connection.executeQuery = async <R>(query: CompiledQuery) => {
          try {
            return await execute<R>(query);
          } catch (e) {
            throw translatePgError(e);
          }
        };
        patched.add(connection);
      }
      return connection;
    };
    return driver;
  }
}

export function isPostgresUri(uri: string): boolean {
  return /^postgres(ql)?:\/\//.test(uri);
}

export interface PostgresStoreOptions {
  migrate?: boolean;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** `statement_timeout` of every pooled connection in ms (default 0: none); migrations lift it. */
  statementTimeoutMs?: number;
}

/** Opens a PostgreSQL store: one pooled `pg.Pool` behind Kysely's PostgresDialect. */
export async function openPostgresStore(uri: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: uri,
    types,
    max: options.poolSize ?? 10,
    application_name: 'trove',
    idleTimeoutMillis: 30_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle pooled connection that the server closes (restart, failover, a dropped database) must
  // not crash the process: the pool discards it and the next query opens a fresh one.
  pool.on('error', () => {});
  pool.on('connect', namePreparedStatements);
  const db = new Kysely<Database>({ dialect: new TrovePostgresDialect({ pool }) });
  try {
    if (options.migrate !== false) await migrate(db as unknown as Kysely<unknown>, postgresDdl);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return {
    db,
    ddl: postgresDdl,
    pg: pool,
    close: () => db.destroy(),
  };
}
