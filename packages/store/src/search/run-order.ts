import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Comparison, FilterAst, OrderKey } from './ast.ts';
import { columnPredicate, metricPredicate, topLevelConjuncts } from './filter-compiler.ts';
import { RUN_ATTRIBUTE_COLUMNS } from './filter-targets.ts';
import type { SortColumn } from './keyset.ts';
import type { Segment } from './paged-query.ts';
import type { SearchSqlOps } from './sql-ops.ts';

export interface RunOrderPlan {
  segments: Segment[];
  /** Filter comparisons evaluated on an order join instead of as EXISTS subqueries. */
  overrides: Map<Comparison, Expression<SqlBool>>;
}

const TABLES = { metric: 'metric_series', param: 'params', tag: 'run_tags' } as const;

interface Lead {
  /** How this segment joins the first key's table, when the first key is not an attribute. */
  join?: 'JOIN' | 'LEFT JOIN';
  where: Expression<SqlBool>[];
  cols: SortColumn[];
}

/**
 * Plans the run order (reference §14.6) as segments. The first key splits the result into
 * real values, then NaN (metrics), then missing values; each segment is a plain ORDER BY that
 * SQLite can read off an index and cut at the LIMIT instead of sorting every run. Later keys
 * only break ties, so they carry their NaN/missing ranks inside the ORDER BY. When the filter
 * already requires a key (a top-level AND term on it), its join is INNER, the term is evaluated
 * on the joined row, and the NaN/missing segments, which would be empty, are dropped.
 */
export function planRunOrder(keys: OrderKey[], filter: FilterAst, ops: SearchSqlOps): RunOrderPlan {
  const overrides = new Map<Comparison, Expression<SqlBool>>();
  const conjuncts = topLevelConjuncts(filter);
  const joins: RawBuilder<unknown>[] = [];
  let leadTable: RawBuilder<unknown> | undefined;
  let leads: Lead[] = [{ where: [], cols: [] }];
  const rest: SortColumn[] = [];
  keys.forEach((k, i) => {
    const required = conjuncts.filter((c) => c.kind === k.kind && c.key === k.key);
    if (k.kind === 'attribute') {
      const col = sql.ref(`runs.${RUN_ATTRIBUTE_COLUMNS[k.key]}`);
      const nullable = k.key === 'end_time' && required.length === 0;
      if (i > 0) rest.push({ expr: col, desc: k.desc, nullable });
      else if (!nullable) leads = [{ where: [], cols: [{ expr: col, desc: k.desc, nullable: false }] }];
      else leads = [{ where: [sql<SqlBool>`${col} IS NOT NULL`], cols: [{ expr: col, desc: k.desc, nullable: false }] }, { where: [sql<SqlBool>`${col} IS NULL`], cols: [] }];
      return;
    }
    const alias = `o${i}`;
    const ref = (column: string) => sql.ref(`${alias}.${column}`);
    const on = sql`${sql.table(TABLES[k.kind])} ${sql.raw(alias)} ON ${ref('run_id')} = runs.id AND ${ref('key')} = ${k.key}`;
    for (const c of required) overrides.set(c, c.kind === 'metric' && c.valueType === 'number' ? metricPredicate(alias, c) : columnPredicate(ref('value'), c, ops));
    const value: SortColumn = { expr: ref('value'), desc: k.desc, nullable: false };
    if (i === 0) {
      const present: Lead = { join: 'JOIN', where: k.kind === 'metric' && required.length === 0 ? [sql<SqlBool>`${ref('is_nan')} = 0`] : [], cols: [value] };
      leads = [present];
      if (k.kind === 'metric' && required.length === 0) leads.push({ join: 'JOIN', where: [sql<SqlBool>`${ref('is_nan')} = 1`], cols: [] });
      if (required.length === 0) leads.push({ join: 'LEFT JOIN', where: [sql<SqlBool>`${ref('run_id')} IS NULL`], cols: [] });
      leadTable = on;
      return;
    }
    joins.push(sql`${sql.raw(required.length > 0 ? 'JOIN' : 'LEFT JOIN')} ${on}`);
    // Real values first, then NaN (is_nan = 1), then runs without the metric, in either direction.
    if (k.kind === 'metric' && required.length === 0) rest.push({ expr: sql`coalesce(${ref('is_nan')}, 2)`, desc: false, nullable: false });
    rest.push({ ...value, nullable: required.length === 0 });
  });
  if (!keys.some((k) => k.kind === 'attribute' && k.key === 'start_time')) rest.push({ expr: sql.ref('runs.start_time'), desc: true, nullable: false });
  if (!keys.some((k) => k.kind === 'attribute' && k.key === 'run_id')) rest.push({ expr: sql.ref('runs.run_uuid'), desc: false, nullable: false });
  const segments = leads.map((lead) => {
    const leadJoin = lead.join !== undefined && leadTable !== undefined ? [sql`${sql.raw(lead.join)} ${leadTable}`] : [];
    return { from: sql.join([sql`runs`, ...leadJoin, ...joins], sql.raw(' ')), where: lead.where, cols: [...lead.cols, ...rest] };
  });
  return { segments, overrides };
}
