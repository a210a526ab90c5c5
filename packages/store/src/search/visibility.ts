import { type Expression, type SqlBool, sql } from 'kysely';

/**
 * Which rows of a search the caller may see, decided by the server's authorizer: either only the
 * listed keys, or every key except the listed ones. It becomes a WHERE of the paged query, so page
 * sizes and page tokens stay exact (filtering a page afterwards would shrink pages and lose rows).
 */
export type Visibility<T extends number | string> = { only: readonly T[] } | { except: readonly T[] };

export function visibilityWhere<T extends number | string>(
  column: Expression<unknown>,
  v: Visibility<T> | undefined,
): Expression<SqlBool> | undefined {
  if (v === undefined) return undefined;
  if ('only' in v) {
    if (v.only.length === 0) return sql<SqlBool>`1 = 0`;
    return sql<SqlBool>`${column} IN (${sql.join(v.only.map((k) => sql.val(k)))})`;
  }
  if (v.except.length === 0) return undefined;
  return sql<SqlBool>`${column} NOT IN (${sql.join(v.except.map((k) => sql.val(k)))})`;
}

/** Whether one key passes a visibility (for lists the store does not page). */
export function isVisible<T extends number | string>(v: Visibility<T> | undefined, key: T): boolean {
  if (v === undefined) return true;
  return 'only' in v ? v.only.includes(key) : !v.except.includes(key);
}
