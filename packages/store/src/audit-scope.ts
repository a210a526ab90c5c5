import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import { insertAuditRow, type NewAuditRow } from './repositories/audit.repository.ts';
import type { Database } from './schema.ts';

/**
 * The audit record of the mutation a request is making. The server opens a scope around each
 * mutating request; the first transaction the request commits through `runInTransaction` writes
 * the record inside itself, so the change and its record commit together or not at all. A
 * mutation that needs no transaction (one statement) has its record written right after it by
 * the server (`flushAudit`).
 */
export interface AuditScope {
  entry: NewAuditRow;
  written: boolean;
}

const scopes = new AsyncLocalStorage<AuditScope>();

export function withAuditScope<T>(entry: NewAuditRow, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ entry, written: false }, fn);
}

/** Inside a transaction: writes the current request's audit record if it is not written yet. */
export async function writeAuditInTransaction(tx: Kysely<Database>): Promise<boolean> {
  const scope = scopes.getStore();
  if (scope === undefined || scope.written) return false;
  await insertAuditRow(tx, scope.entry);
  scope.written = true;
  return true;
}

/**
 * For a writer that puts the record into its own statement: the record still to write, and what
 * to call once the transaction holding it has committed.
 */
export function pendingAudit(): { entry: NewAuditRow; committed: () => void } | undefined {
  const scope = scopes.getStore();
  if (scope === undefined || scope.written) return undefined;
  return {
    entry: scope.entry,
    committed: () => {
      scope.written = true;
    },
  };
}

/** The transaction that held the record rolled back. */
export function auditRolledBack(): void {
  const scope = scopes.getStore();
  if (scope !== undefined) scope.written = false;
}

/** After the mutation: writes the record if no transaction did, with the final status. */
export async function flushAudit(db: Kysely<Database>, scope: AuditScope | undefined): Promise<void> {
  if (scope === undefined || scope.written) return;
  scope.written = true;
  await insertAuditRow(db, scope.entry);
}

/**
 * What the mutation changes, as it was before, for the audit record (small values only: a name, a
 * stage, a description). Outside a request's scope it does nothing.
 */
export function noteAuditBefore(before: Record<string, unknown>): void {
  const scope = scopes.getStore();
  if (scope === undefined || scope.written) return;
  const text = JSON.stringify(before);
  scope.entry.before_value = text.length <= 2048 ? text : JSON.stringify({ truncated: true, chars: text.length });
}

export function currentAuditScope(): AuditScope | undefined {
  return scopes.getStore();
}
