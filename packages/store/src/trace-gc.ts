import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { deleteTraceRows } from './repositories/trace.repository.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';
import { runInTransaction } from './transaction.ts';

/**
 * Trace retention for `trove gc`: traces are live data (not soft-deleted first), so they go only
 * under an explicit rule, per experiment: started before a cutoff, and/or beyond the newest N.
 */
export interface TraceRetention {
  /** Remove traces started before this time (ms since epoch). */
  before?: number;
  /** Keep at most this many traces per experiment, the newest. */
  keepPerExperiment?: number;
}

export interface ExpiredTrace {
  id: number;
  trace_id: string;
  /** The `mlflow.artifactLocation` tag: where a client may have written `traces.json`. */
  artifact_location: string | null;
}

export async function experimentsWithTraces(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.selectFrom('traces').select('experiment_id').distinct().orderBy('experiment_id').execute();
  return rows.map((r) => Number(r.experiment_id));
}

/**
 * The condition a retention sets on one experiment's traces, fixed before anything is removed
 * (the newest N are found once, so removing in batches does not move the line).
 */
export async function expiryCondition(
  db: Kysely<Database>,
  experimentId: number,
  r: TraceRetention,
): Promise<Expression<SqlBool> | undefined> {
  const parts: Expression<SqlBool>[] = [];
  if (r.before !== undefined) parts.push(sql<SqlBool>`timestamp_ms < ${r.before}`);
  if (r.keepPerExperiment !== undefined) {
    const line = await db
      .selectFrom('traces')
      .select(['timestamp_ms', 'id'])
      .where('experiment_id', '=', experimentId)
      .orderBy('timestamp_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(r.keepPerExperiment)
      .executeTakeFirst();
    // Sorted as the trace list sorts them: the row at the line and everything older goes.
    if (line)
      parts.push(
        sql<SqlBool>`(timestamp_ms < ${line.timestamp_ms} OR (timestamp_ms = ${line.timestamp_ms} AND id <= ${line.id}))`,
      );
    else if (r.before === undefined) return undefined;
  }
  if (parts.length === 0) return undefined;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export async function countExpiredTraces(
  db: Kysely<Database>,
  experimentId: number,
  condition: Expression<SqlBool>,
): Promise<number> {
  const r = await db
    .selectFrom('traces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('experiment_id', '=', experimentId)
    .where(condition)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The oldest `limit` expired traces of an experiment, with their artifact locations. */
export async function selectExpiredTraces(
  db: Kysely<Database>,
  experimentId: number,
  condition: Expression<SqlBool>,
  limit: number,
): Promise<ExpiredTrace[]> {
  const rows = await db
    .selectFrom('traces')
    .leftJoin('trace_tags', (j) =>
      j.onRef('trace_tags.trace_pk', '=', 'traces.id').on('trace_tags.key', '=', 'mlflow.artifactLocation'),
    )
    .select(['traces.id', 'traces.trace_id', 'trace_tags.value as artifact_location'])
    .where('traces.experiment_id', '=', experimentId)
    .where(condition)
    .orderBy('traces.timestamp_ms')
    .orderBy('traces.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), trace_id: r.trace_id, artifact_location: r.artifact_location }));
}

/** Removes traces with their tags, metadata, spans and assessments, in one transaction. */
export function purgeTraces(store: Store, pks: number[]): Promise<number> {
  return runInTransaction(store, (tx) => deleteTraceRows(tx, pks));
}
