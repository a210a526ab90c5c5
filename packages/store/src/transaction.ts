import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Runs `fn` in one transaction of the store: the repository calls it makes with `tx` commit
 * together, or none of them does when `fn` throws. On SQLite the transaction takes the write lock
 * up front (`BEGIN IMMEDIATE`); on PostgreSQL it holds one pooled connection. Services own their
 * transactions through this, so they never touch the query builder themselves.
 */
export function runInTransaction<T>(store: { readonly db: Kysely<Database> }, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(fn);
}
