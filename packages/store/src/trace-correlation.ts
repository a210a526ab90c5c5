import { type SqlBool, sql } from 'kysely';
import type { Store } from './store.ts';
import { traceFilterPredicate } from './trace-search.ts';

export interface TraceFilterCounts {
  /** Traces of the experiments (matching `base` when given). */
  total: number;
  filter1: number;
  filter2: number;
  /** Traces matching both filters. */
  joint: number;
}

/**
 * The four counts MLflow's trace filter correlation (NPMI) is computed from, in one scan of the
 * experiments' traces: each filter is tested on top of `base`, which also bounds the total.
 */
export async function countTraceFilters(
  store: Store,
  q: { experimentIds: number[]; base?: string; filter1: string; filter2: string },
): Promise<TraceFilterCounts> {
  const always = sql<SqlBool>`1 = 1`;
  const base = q.base ? (traceFilterPredicate(store, q.base) ?? always) : always;
  const f1 = traceFilterPredicate(store, q.filter1) ?? always;
  const f2 = traceFilterPredicate(store, q.filter2) ?? always;
  const ids = q.experimentIds.length > 0 ? q.experimentIds : [null];
  const row = await sql<{ total: unknown; filter1: unknown; filter2: unknown; joint: unknown }>`
    SELECT COUNT(*) AS total,
      SUM(CASE WHEN ${f1} THEN 1 ELSE 0 END) AS filter1,
      SUM(CASE WHEN ${f2} THEN 1 ELSE 0 END) AS filter2,
      SUM(CASE WHEN (${f1}) AND (${f2}) THEN 1 ELSE 0 END) AS joint
    FROM traces WHERE traces.experiment_id IN (${sql.join(ids)}) AND (${base})`.execute(store.db);
  const r = row.rows[0];
  return {
    total: Number(r?.total ?? 0),
    filter1: Number(r?.filter1 ?? 0),
    filter2: Number(r?.filter2 ?? 0),
    joint: Number(r?.joint ?? 0),
  };
}
