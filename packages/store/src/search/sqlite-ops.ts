import { sql } from 'kysely';
import { toGlobSyntax, toLikeSyntax } from './like-pattern.ts';
import type { SearchSqlOps } from './sql-ops.ts';

/** `$."a"."b.c"`: each key quoted, so keys may hold dots. */
function sqlitePath(path: string[]): string {
  return `$${path.map((k) => `.${JSON.stringify(k)}`).join('')}`;
}

/** SQLite: LIKE ignores ASCII case, so case-sensitive LIKE is a GLOB; JSON tags go through json_each. */
export const sqliteOps: SearchSqlOps = {
  like: (column, pattern) => sql`(${column} GLOB ${toGlobSyntax(pattern)})`,
  // lower() on both sides keeps ILIKE right even if a connection turns on case_sensitive_like.
  ilike: (column, pattern) => sql`(lower(${column}) LIKE lower(${toLikeSyntax(pattern)}) ESCAPE '\\')`,
  textSortKeys: (value) => [value],
  jsonText: (column, path) => sql`(${column} -> ${sqlitePath(path)})`,
  jsonString: (column, path) => sql`(${column} ->> ${sqlitePath(path)})`,
  runInputTagExists: (runId, tagKey, predicate) => {
    const value = sql`json_extract(s_jt.value, '$.value')`;
    return sql`EXISTS (SELECT 1 FROM run_inputs s_ri, json_each(s_ri.tags_json) s_jt WHERE s_ri.run_id = ${runId} AND json_extract(s_jt.value, '$.key') = ${tagKey} AND ${predicate(value)})`;
  },
};
