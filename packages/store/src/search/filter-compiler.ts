import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Comparison, FilterAst, ListComparison, NumberComparison, StringComparison } from './ast.ts';
import { likeLiteral, parseLikePattern } from './like-pattern.ts';
import type { SearchSqlOps } from './sql-ops.ts';

/** Compiles one validated comparison for an entity's table. */
export type CompareFn = (c: Comparison) => Expression<SqlBool>;

export const TRUE: RawBuilder<SqlBool> = sql<SqlBool>`(1 = 1)`;
export const FALSE: RawBuilder<SqlBool> = sql<SqlBool>`(1 = 0)`;

/**
 * Compiles a filter to a boolean SQL expression, or undefined when it matches everything.
 * `overrides` replaces particular comparison nodes (the run planner compiles some against a join).
 */
export function compileFilter(
  ast: FilterAst,
  compare: CompareFn,
  overrides?: Map<Comparison, Expression<SqlBool>>,
): Expression<SqlBool> | undefined {
  if (ast.type === 'all') return undefined;
  if (ast.type === 'comparison') return overrides?.get(ast) ?? compare(ast);
  const parts = ast.children.map((c) => compileFilter(c, compare, overrides) ?? TRUE);
  return sql<SqlBool>`(${sql.join(parts, sql.raw(ast.type === 'and' ? ' AND ' : ' OR '))})`;
}

/** The comparisons that every matching row must satisfy (the top-level AND terms). */
export function topLevelConjuncts(ast: FilterAst): Comparison[] {
  if (ast.type === 'comparison') return [ast];
  if (ast.type === 'and')
    return ast.children.flatMap((c) => (c.type === 'comparison' ? [c] : c.type === 'and' ? topLevelConjuncts(c) : []));
  return [];
}

export function and(parts: (Expression<SqlBool> | undefined)[]): RawBuilder<SqlBool> {
  const present = parts.filter((p): p is Expression<SqlBool> => p !== undefined);
  return present.length === 0 ? TRUE : sql<SqlBool>`${sql.join(present, sql.raw(' AND '))}`;
}

const NUMBER_SQL: Record<NumberComparison['op'], string> = {
  '=': '=',
  '!=': '<>',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

export function numberPredicate(column: Expression<unknown>, c: NumberComparison): RawBuilder<SqlBool> {
  // A value other than a plain integer is bound as a double: PostgreSQL types a parameter after
  // its column, and a BIGINT column would reject '1.5' or '1e+300'.
  const value = Number.isSafeInteger(c.value) ? sql`${c.value}` : sql`CAST(${c.value} AS DOUBLE PRECISION)`;
  return sql<SqlBool>`${column} ${sql.raw(NUMBER_SQL[c.op])} ${value}`;
}

/** Metric values compare only when real: a NaN latest value (is_nan = 1) satisfies nothing. */
export function metricPredicate(alias: string, c: NumberComparison): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.is_nan`)} = 0 AND ${numberPredicate(sql.ref(`${alias}.value`), c)}`;
}

export function stringPredicate(
  column: Expression<unknown>,
  c: StringComparison | ListComparison,
  ops: SearchSqlOps,
): RawBuilder<SqlBool> {
  if (c.valueType === 'list') {
    if (c.value.length === 0) return c.op === 'IN' ? FALSE : TRUE;
    return sql<SqlBool>`${column} ${sql.raw(c.op)} (${sql.join(c.value)})`;
  }
  if (c.op === '=' || c.op === '!=') return sql<SqlBool>`${column} ${sql.raw(c.op === '=' ? '=' : '<>')} ${c.value}`;
  const pattern = parseLikePattern(c.value);
  if (c.op === 'ILIKE') return ops.ilike(column, pattern);
  const literal = likeLiteral(pattern);
  return literal === undefined ? ops.like(column, pattern) : sql<SqlBool>`${column} = ${literal}`;
}

/** Dispatches on the comparison's value type for a column that holds the field directly. */
export function columnPredicate(column: Expression<unknown>, c: Comparison, ops: SearchSqlOps): RawBuilder<SqlBool> {
  return c.valueType === 'number' ? numberPredicate(column, c) : stringPredicate(column, c, ops);
}
