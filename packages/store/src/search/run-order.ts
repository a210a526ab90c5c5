import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Comparison, FilterAst, OrderKey } from './ast.ts';
import { columnPredicate, metricPredicate, topLevelConjuncts } from './filter-compiler.ts';
import { RUN_ATTRIBUTE_COLUMNS } from './filter-targets.ts';
import type { SortColumn } from './keyset.ts';
import type { SearchSqlOps } from './sql-ops.ts';

export interface RunOrderPlan {
  joins: RawBuilder<unknown>[];
  cols: SortColumn[];
  /** Filter comparisons evaluated on an order join instead of as EXISTS subqueries. */
  overrides: Map<Comparison, Expression<SqlBool>>;
}

const TABLES = { metric: 'metric_series', param: 'params', tag: 'run_tags' } as const;

/**
 * Turns order keys into joins and sort columns, appending MLflow's implicit `start_time DESC,
 * run_id ASC`. A metric/param/tag key is LEFT JOINed on its (run_id, key) unique index; when
 * the filter already requires that key (a top-level AND term on it), the join becomes INNER and
 * the term is evaluated on the joined row, which lets SQLite walk the (key, value) index in sort
 * order and stop at the LIMIT.
 */
export function planRunOrder(keys: OrderKey[], filter: FilterAst, ops: SearchSqlOps): RunOrderPlan {
  const plan: RunOrderPlan = { joins: [], cols: [], overrides: new Map() };
  const conjuncts = topLevelConjuncts(filter);
  keys.forEach((k, i) => {
    if (k.kind === 'attribute') {
      plan.cols.push({ expr: sql.ref(`runs.${RUN_ATTRIBUTE_COLUMNS[k.key]}`), desc: k.desc, nullable: k.key === 'end_time' });
      return;
    }
    const alias = `o${i}`;
    const required = conjuncts.filter((c) => c.kind === k.kind && c.key === k.key);
    const join = required.length > 0 ? 'JOIN' : 'LEFT JOIN';
    plan.joins.push(sql`${sql.raw(join)} ${sql.table(TABLES[k.kind])} ${sql.raw(alias)} ON ${sql.ref(`${alias}.run_id`)} = runs.id AND ${sql.ref(`${alias}.key`)} = ${k.key}`);
    for (const c of required) {
      plan.overrides.set(c, c.kind === 'metric' && c.valueType === 'number' ? metricPredicate(alias, c) : columnPredicate(sql.ref(`${alias}.value`), c, ops));
    }
    const value = sql.ref(`${alias}.value`);
    if (k.kind === 'metric' && required.length === 0) {
      // Real values first, then NaN (is_nan = 1), then runs without the metric, in either direction.
      plan.cols.push({ expr: sql`coalesce(${sql.ref(`${alias}.is_nan`)}, 2)`, desc: false, nullable: false });
    }
    plan.cols.push({ expr: value, desc: k.desc, nullable: required.length === 0 });
  });
  if (!keys.some((k) => k.kind === 'attribute' && k.key === 'start_time')) plan.cols.push({ expr: sql.ref('runs.start_time'), desc: true, nullable: false });
  if (!keys.some((k) => k.kind === 'attribute' && k.key === 'run_id')) plan.cols.push({ expr: sql.ref('runs.run_uuid'), desc: false, nullable: false });
  return plan;
}
