import type { Kysely, SelectQueryBuilder } from 'kysely';
import { auditRolledBack, writeAuditInTransaction } from './audit-scope.ts';
import { ddlOf } from './migrator.ts';
import type { Database } from './schema.ts';

/**
 * What repository functions run on: the store's database, or one of its open transactions (a
 * transaction is a `StoreDb` too). Services pass it along without touching the query builder.
 */
export type StoreDb = Kysely<Database>;

/**
 * Runs `fn` in one transaction of the store: the repository calls it makes with `tx` commit
 * together, or none of them does when `fn` throws. On SQLite the transaction takes the write lock
 * up front (`BEGIN IMMEDIATE`); on PostgreSQL it holds one pooled connection. Services own their
 * transactions through this, so they never touch the query builder themselves.
 */
export function runInTransaction<T>(
  store: { readonly db: Kysely<Database> },
  fn: (tx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  let wroteAudit = false;
  return store.db
    .transaction()
    .execute(async (tx) => {
      const result = await fn(tx);
      wroteAudit = await writeAuditInTransaction(tx);
      return result;
    })
    .catch((e) => {
      // Rolled back with the change: the record is still to be written.
      if (wroteAudit) auditRolledBack();
      throw e;
    });
}

/**
 * Locks the selected rows until the transaction ends: `FOR UPDATE` on PostgreSQL; nothing on
 * SQLite, whose write transactions (`BEGIN IMMEDIATE`) already serialise writers. For a
 * read-modify-write inside a transaction: `tx.selectFrom(…).…$call(lockForUpdate(tx))`.
 */
export function lockForUpdate(db: Kysely<any>): <QB extends SelectQueryBuilder<any, any, any>>(qb: QB) => QB {
  const locks = ddlOf(db).name === 'postgres';
  return (qb) => (locks ? (qb.forUpdate() as typeof qb) : qb);
}
