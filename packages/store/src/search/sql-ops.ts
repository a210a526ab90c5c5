import type { Expression, RawBuilder, SqlBool } from 'kysely';
import type { Store } from '../store.ts';
import type { LikePart } from './like-pattern.ts';
import { postgresOps } from './postgres-ops.ts';
import { sqliteOps } from './sqlite-ops.ts';

/** The dialect-specific pieces of search SQL; everything else in the compiler is portable. */
export interface SearchSqlOps {
  /** Case-sensitive LIKE. */
  like(column: Expression<unknown>, pattern: LikePart[]): RawBuilder<SqlBool>;
  /** Case-insensitive LIKE. */
  ilike(column: Expression<unknown>, pattern: LikePart[]): RawBuilder<SqlBool>;
  /**
   * EXISTS over the input tags of the run's dataset inputs (`run_inputs.tags_json`, a JSON array
   * of {key, value}) having `tagKey` with a value satisfying `predicate`.
   */
  runInputTagExists(
    runId: Expression<unknown>,
    tagKey: string,
    predicate: (value: Expression<unknown>) => Expression<SqlBool>,
  ): RawBuilder<SqlBool>;
  /**
   * The sort keys of a param or run-tag value, matching its (key, …) index: the value itself on
   * SQLite; (prefix, value) on PostgreSQL, whose index holds only a prefix (migration 0010).
   */
  textSortKeys(value: Expression<unknown>): Expression<unknown>[];
  /** The JSON text of the value at `path` inside a column of JSON text (`true`, `"yes"`, `0.5`); NULL when absent. */
  jsonText(column: Expression<unknown>, path: string[]): RawBuilder<unknown>;
  /** The string at `path` inside a column of JSON text, unquoted; NULL when absent. */
  jsonString(column: Expression<unknown>, path: string[]): RawBuilder<unknown>;
}

export function sqlOpsFor(store: Store): SearchSqlOps {
  return store.ddl.name === 'postgres' ? postgresOps : sqliteOps;
}
