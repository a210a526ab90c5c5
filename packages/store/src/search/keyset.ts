import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { FALSE } from './filter-compiler.ts';

/** One ORDER BY column. Nullable columns sort their NULLs last in both directions. */
export interface SortColumn {
  expr: Expression<unknown>;
  desc: boolean;
  nullable: boolean;
}

export type KeyValue = string | number | null;

export function orderBySql(cols: SortColumn[]): RawBuilder<unknown> {
  const terms = cols.flatMap((c) => {
    const term = sql`${c.expr} ${sql.raw(c.desc ? 'DESC' : 'ASC')}`;
    // An explicit IS NULL key rather than NULLS LAST: portable, and it keys the cursor the same way.
    return c.nullable ? [sql`(${c.expr} IS NULL)`, term] : [term];
  });
  return sql.join(terms);
}

/** SELECT list exposing each sort column as k0, k1, … so the last row's values can seed the token. */
export function sortKeySelect(cols: SortColumn[]): RawBuilder<unknown> {
  return sql.join(cols.map((c, i) => sql`${c.expr} AS ${sql.ref(`k${i}`)}`));
}

/**
 * Rows strictly after the cursor `values` in the order of `cols`: the nested form of
 * k0 > v0 OR (k0 = v0 AND (k1 > v1 OR (k1 = v1 AND …))), with directions and NULLs-last applied.
 * A redundant `k0 >= v0` bound is added in front so the planner can seek an index on k0
 * instead of walking past every earlier row.
 */
export function keysetAfter(cols: SortColumn[], values: KeyValue[]): RawBuilder<SqlBool> {
  const after = (i: number): Expression<SqlBool> => {
    const { expr, desc, nullable } = cols[i];
    const v = values[i];
    const beyond = v === null ? undefined : sql<SqlBool>`${expr} ${sql.raw(desc ? '<' : '>')} ${v}`;
    const strict = beyond && nullable ? sql<SqlBool>`(${beyond} OR ${expr} IS NULL)` : beyond;
    if (i === cols.length - 1) return strict ?? FALSE;
    const equal = v === null ? sql<SqlBool>`${expr} IS NULL` : sql<SqlBool>`${expr} = ${v}`;
    const tie = sql<SqlBool>`(${equal} AND ${after(i + 1)})`;
    return strict ? sql<SqlBool>`(${strict} OR ${tie})` : tie;
  };
  const chain = after(0);
  const first = cols[0];
  if (first.nullable || values[0] === null) return sql<SqlBool>`${chain}`;
  return sql<SqlBool>`${first.expr} ${sql.raw(first.desc ? '<=' : '>=')} ${values[0]} AND ${chain}`;
}
