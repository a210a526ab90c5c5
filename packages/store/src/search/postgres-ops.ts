import { sql } from 'kysely';
import { TEXT_PREFIX_CHARS } from '../migrations/0010_long_text_values.ts';
import { toLikeSyntax } from './like-pattern.ts';
import type { SearchSqlOps } from './sql-ops.ts';

/** A text[] literal (`{"a","b.c"}`), each element quoted. */
function postgresPath(path: string[]): string {
  return `{${path.map((k) => `"${k.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * PostgreSQL: LIKE is case-sensitive and ILIKE exists natively (both with `\` as the escape
 * character); run input tags are JSON text, expanded with jsonb_array_elements.
 */
export const postgresOps: SearchSqlOps = {
  like: (column, pattern) => sql`(${column} LIKE ${toLikeSyntax(pattern)} ESCAPE '\\')`,
  ilike: (column, pattern) => sql`(${column} ILIKE ${toLikeSyntax(pattern)} ESCAPE '\\')`,
  textSortKeys: (value) => [sql`left(${value}, ${sql.lit(TEXT_PREFIX_CHARS)})`, value],
  jsonText: (column, path) => sql`((${column})::jsonb #> ${postgresPath(path)}::text[])::text`,
  jsonString: (column, path) => sql`((${column})::jsonb #>> ${postgresPath(path)}::text[])`,
  runInputTagExists: (runId, tagKey, predicate) => {
    const value = sql`(s_jt.tag ->> 'value')`;
    return sql`EXISTS (SELECT 1 FROM run_inputs s_ri CROSS JOIN LATERAL jsonb_array_elements(s_ri.tags_json::jsonb) AS s_jt(tag) WHERE s_ri.run_id = ${runId} AND (s_jt.tag ->> 'key') = ${tagKey} AND ${predicate(value)})`;
  },
};
