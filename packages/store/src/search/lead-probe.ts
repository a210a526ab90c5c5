import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { and } from './filter-compiler.ts';

/** The first order key's (key, value) index walk: its table, key, row conditions and order. */
export interface LeadProbe {
  table: 'metric_series' | 'params' | 'run_tags';
  key: string;
  /** Conditions on alias o0 (non-NaN, filter terms on the key). */
  where: Expression<SqlBool>[];
  /** The index's value order on alias o0 (`SearchSqlOps.textSortKeys` for text values). */
  orderBy: Expression<unknown>[];
  desc: boolean;
  /** Whether the segment is ordered by this index (value first) or needs a sort after reading it. */
  ordered: boolean;
}

const PROBE_ROWS = 1000;
/** Sorting a run costs roughly this many index steps of the lead walk (measured on SQLite). */
const SORT_COST_RATIO = 2.5;

/**
 * Chooses between reading the first order key's (key, value) index in order and stopping at the
 * LIMIT, or reading the scope's runs and sorting them. SQLite's planner cannot tell without
 * statistics (and ANALYZE averages over experiments, which misleads it the other way), so this
 * samples the first index entries: the share that falls in scope predicts how far the walk goes
 * for `limit` rows, and a capped count of the scope's runs prices the sort.
 */
export async function preferLeadIndex(
  db: Kysely<Database>,
  probe: LeadProbe,
  scope: Expression<SqlBool>[],
  limit: number,
): Promise<boolean> {
  const walk = sql`SELECT o0.run_id FROM ${sql.table(probe.table)} o0 WHERE o0.key = ${probe.key} AND ${and(probe.where)} ORDER BY ${sql.join(probe.orderBy.map((e) => sql`${e} ${sql.raw(probe.desc ? 'DESC' : 'ASC')}`))} LIMIT ${PROBE_ROWS}`;
  const sample = await sql<{
    n: number;
    hits: number | null;
  }>`SELECT count(*) AS n, sum(CASE WHEN ${and(scope)} THEN 1 ELSE 0 END) AS hits FROM (${walk}) p JOIN runs ON runs.id = p.run_id`.execute(
    db,
  );
  const { n, hits } = sample.rows[0];
  if (n < PROBE_ROWS) return true;
  const expectedWalk = (limit * PROBE_ROWS) / Math.max(hits ?? 0, 0.5);
  const cap = Math.ceil(expectedWalk / SORT_COST_RATIO);
  const counted = await sql<{
    c: number;
  }>`SELECT count(*) AS c FROM (SELECT 1 FROM runs WHERE ${and(scope)} LIMIT ${cap}) s`.execute(db);
  return counted.rows[0].c >= cap;
}

const FEW_ENTRIES = 20_000;

/**
 * For segments that are not read in index order (the NaN rows of a metric): reading every
 * matching index entry and sorting them beats walking the runs unless there are many.
 */
async function fewIndexEntries(db: Kysely<Database>, probe: LeadProbe): Promise<boolean> {
  const entries = sql`SELECT 1 FROM ${sql.table(probe.table)} o0 WHERE o0.key = ${probe.key} AND ${and(probe.where)} LIMIT ${FEW_ENTRIES}`;
  const counted = await sql<{ c: number }>`SELECT count(*) AS c FROM (${entries}) s`.execute(db);
  return counted.rows[0].c < FEW_ENTRIES;
}

/** Wraps the FROM choice so it is made lazily, only if the segment is read. */
export function chooseFrom(
  db: Kysely<Database>,
  probe: LeadProbe,
  scope: Expression<SqlBool>[],
  leadFirst: RawBuilder<unknown>,
  runsFirst: RawBuilder<unknown>,
) {
  return async (limit: number): Promise<RawBuilder<unknown>> => {
    const lead = probe.ordered ? await preferLeadIndex(db, probe, scope, limit) : await fewIndexEntries(db, probe);
    return lead ? leadFirst : runsFirst;
  };
}
