import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Comparison, FilterAst, OrderKey } from './ast.ts';
import { columnPredicate, metricPredicate, topLevelConjuncts } from './filter-compiler.ts';
import { RUN_ATTRIBUTE_COLUMNS } from './filter-targets.ts';
import type { SortColumn } from './keyset.ts';
import type { LeadProbe } from './lead-probe.ts';
import type { SearchSqlOps } from './sql-ops.ts';

/** A result segment; `leadFirst` + `probe` are set when it may be read off the first key's index. */
export interface RunSegment {
  from: RawBuilder<unknown>;
  leadFirst?: RawBuilder<unknown>;
  probe?: LeadProbe;
  where: Expression<SqlBool>[];
  cols: SortColumn[];
}

export interface RunOrderPlan {
  segments: RunSegment[];
  /** Filter comparisons evaluated on an order join instead of as EXISTS subqueries. */
  overrides: Map<Comparison, Expression<SqlBool>>;
}

const TABLES = { metric: 'metric_series', param: 'params', tag: 'run_tags' } as const;

/**
 * Plans the run order (reference §14.6) as segments. The first key splits the result into
 * real values, then NaN (metrics), then missing values; each segment is a plain ORDER BY that
 * can be read off an index and cut at the LIMIT instead of sorting every run. Later keys only
 * break ties, so they carry their NaN/missing ranks inside the ORDER BY. When the filter already
 * requires a key (a top-level AND term on it), its join is INNER, the term is evaluated on the
 * joined row, and the NaN/missing segments, which would be empty, are dropped.
 */
export function planRunOrder(keys: OrderKey[], filter: FilterAst, ops: SearchSqlOps): RunOrderPlan {
  const overrides = new Map<Comparison, Expression<SqlBool>>();
  const conjuncts = topLevelConjuncts(filter);
  const joins: RawBuilder<unknown>[] = [];
  const rest: SortColumn[] = [];
  let segments: RunSegment[] = [{ from: sql`runs`, where: [], cols: [] }];
  keys.forEach((k, i) => {
    const keyConjuncts = conjuncts.filter((c) => c.kind === k.kind && c.key === k.key);
    const required = keyConjuncts.length > 0;
    if (k.kind === 'attribute') {
      const col = sql.ref(`runs.${RUN_ATTRIBUTE_COLUMNS[k.key]}`);
      const nullable = k.key === 'end_time' && !required;
      if (i > 0) {
        rest.push({ expr: col, desc: k.desc, nullable });
      } else if (!nullable) {
        segments = [{ from: sql`runs`, where: [], cols: [{ expr: col, desc: k.desc, nullable: false }] }];
      } else {
        segments = [
          {
            from: sql`runs`,
            where: [sql<SqlBool>`${col} IS NOT NULL`],
            cols: [{ expr: col, desc: k.desc, nullable: false }],
          },
          { from: sql`runs`, where: [sql<SqlBool>`${col} IS NULL`], cols: [] },
        ];
      }
      return;
    }
    const alias = `o${i}`;
    const ref = (column: string) => sql.ref(`${alias}.${column}`);
    const table = sql`${sql.table(TABLES[k.kind])} ${sql.raw(alias)}`;
    const on = sql<SqlBool>`${ref('run_id')} = runs.id AND ${ref('key')} = ${k.key}`;
    const keyTerms: Expression<SqlBool>[] = [];
    for (const c of keyConjuncts) {
      const term =
        c.kind === 'metric' && c.valueType === 'number'
          ? metricPredicate(alias, c)
          : columnPredicate(ref('value'), c, ops);
      overrides.set(c, term);
      keyTerms.push(term);
    }
    const sortKeys = k.kind === 'metric' ? [ref('value')] : ops.textSortKeys(ref('value'));
    const value: SortColumn[] = sortKeys.map((expr) => ({ expr, desc: k.desc, nullable: false }));
    if (i > 0) {
      joins.push(sql`${sql.raw(required ? 'JOIN' : 'LEFT JOIN')} ${table} ON ${on}`);
      // Real values first, then NaN (is_nan = 1), then runs without the metric, in either direction.
      if (k.kind === 'metric' && !required)
        rest.push({ expr: sql`coalesce(${ref('is_nan')}, 2)`, desc: false, nullable: false });
      rest.push(...value.map((c) => ({ ...c, nullable: !required })));
      return;
    }
    const realOnly = k.kind === 'metric' && !required ? [sql<SqlBool>`${ref('is_nan')} = 0`] : [];
    // CROSS JOIN fixes SQLite's join order (elsewhere it is an ordinary join); the choice is made per query by the probe.
    segments = [
      {
        from: sql`runs CROSS JOIN ${table}`,
        leadFirst: sql`${table} CROSS JOIN runs`,
        probe: {
          table: TABLES[k.kind],
          key: k.key,
          where: [...realOnly, ...keyTerms],
          orderBy: sortKeys,
          desc: k.desc,
          ordered: true,
        },
        where: [on, ...realOnly],
        cols: value,
      },
    ];
    if (required) return;
    if (k.kind === 'metric') {
      // NaN is stored as is_nan = 1 with value 0, so `value = 0` lets the NaN rows be sought in the (key, value) index.
      const nan = [sql<SqlBool>`${ref('is_nan')} = 1`, sql<SqlBool>`${ref('value')} = 0`];
      const probe: LeadProbe = {
        table: TABLES[k.kind],
        key: k.key,
        where: nan,
        orderBy: sortKeys,
        desc: false,
        ordered: false,
      };
      segments.push({
        from: sql`runs CROSS JOIN ${table}`,
        leadFirst: sql`${table} CROSS JOIN runs`,
        probe,
        where: [on, ...nan],
        cols: [],
      });
    }
    segments.push({
      from: sql`runs LEFT JOIN ${table} ON ${on}`,
      where: [sql<SqlBool>`${ref('run_id')} IS NULL`],
      cols: [],
    });
  });
  if (!keys.some((k) => k.kind === 'attribute' && k.key === 'start_time'))
    rest.push({ expr: sql.ref('runs.start_time'), desc: true, nullable: false });
  if (!keys.some((k) => k.kind === 'attribute' && k.key === 'run_id'))
    rest.push({ expr: sql.ref('runs.run_uuid'), desc: false, nullable: false });
  const withJoins = (from: RawBuilder<unknown>) => sql.join([from, ...joins], sql.raw(' '));
  return {
    segments: segments.map((s) => ({
      ...s,
      from: withJoins(s.from),
      leadFirst: s.leadFirst && withJoins(s.leadFirst),
      cols: [...s.cols, ...rest],
    })),
    overrides,
  };
}
