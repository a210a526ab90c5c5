import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Database, TraceAssessmentTable, TraceSpanTable, TraceTable } from '../schema.ts';

export type TraceRow = Selectable<TraceTable>;
export type TraceSpanRow = Selectable<TraceSpanTable>;
export type TraceAssessmentRow = Selectable<TraceAssessmentTable>;
export type TraceKvKind = 'trace_tags' | 'trace_metadata';

/** Rows per multi-row INSERT: 9 span columns × 400 stays far below both databases' bind limits. */
const INSERT_CHUNK = 400;

export async function insertTrace(db: Kysely<Database>, row: Insertable<TraceTable>): Promise<number> {
  const inserted = await db.insertInto('traces').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** A trace with its experiment's workspace, by MLflow's id. */
export function findTrace(
  db: Kysely<Database>,
  traceId: string,
): Promise<(TraceRow & { workspace_id: number }) | undefined> {
  return db
    .selectFrom('traces')
    .innerJoin('experiments', 'experiments.experiment_id', 'traces.experiment_id')
    .selectAll('traces')
    .select('experiments.workspace_id')
    .where('traces.trace_id', '=', traceId)
    .executeTakeFirst();
}

export function findTraces(db: Kysely<Database>, traceIds: string[]): Promise<(TraceRow & { workspace_id: number })[]> {
  if (traceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('traces')
    .innerJoin('experiments', 'experiments.experiment_id', 'traces.experiment_id')
    .selectAll('traces')
    .select('experiments.workspace_id')
    .where('traces.trace_id', 'in', traceIds)
    .execute();
}

export function findTracesByKey(db: Kysely<Database>, pks: number[]): Promise<(TraceRow & { workspace_id: number })[]> {
  if (pks.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('traces')
    .innerJoin('experiments', 'experiments.experiment_id', 'traces.experiment_id')
    .selectAll('traces')
    .select('experiments.workspace_id')
    .where('traces.id', 'in', pks)
    .execute();
}

export async function updateTrace(db: Kysely<Database>, pk: number, patch: Updateable<TraceTable>): Promise<void> {
  await db.updateTable('traces').set(patch).where('id', '=', pk).execute();
}

export async function upsertTraceKvs(
  db: Kysely<Database>,
  table: TraceKvKind,
  pk: number,
  kvs: { key: string; value: string }[],
): Promise<void> {
  // One row per key: the last value given for a key wins, as MLflow's merge does.
  const byKey = new Map(kvs.map((kv) => [kv.key, kv.value]));
  const rows = [...byKey].map(([key, value]) => ({ trace_pk: pk, key, value }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.columns(['trace_pk', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute();
  }
}

/** Deletes one tag or metadata key; returns how many rows went (0 or 1). */
export async function deleteTraceKv(
  db: Kysely<Database>,
  table: TraceKvKind,
  pk: number,
  key: string,
): Promise<number> {
  const r = await db.deleteFrom(table).where('trace_pk', '=', pk).where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Tags and metadata of many traces, each map keyed by the trace's surrogate key, keys sorted. */
export async function loadTraceKvs(
  db: Kysely<Database>,
  pks: number[],
): Promise<{
  tags: Map<number, { key: string; value: string }[]>;
  metadata: Map<number, { key: string; value: string }[]>;
}> {
  const tags = new Map<number, { key: string; value: string }[]>();
  const metadata = new Map<number, { key: string; value: string }[]>();
  if (pks.length === 0) return { tags, metadata };
  const [tagRows, metaRows] = await Promise.all([
    db.selectFrom('trace_tags').selectAll().where('trace_pk', 'in', pks).orderBy('trace_pk').orderBy('key').execute(),
    db
      .selectFrom('trace_metadata')
      .selectAll()
      .where('trace_pk', 'in', pks)
      .orderBy('trace_pk')
      .orderBy('key')
      .execute(),
  ]);
  for (const [rows, into] of [
    [tagRows, tags],
    [metaRows, metadata],
  ] as const) {
    for (const r of rows) {
      const pk = Number(r.trace_pk);
      const list = into.get(pk) ?? [];
      list.push({ key: r.key, value: r.value });
      into.set(pk, list);
    }
  }
  return { tags, metadata };
}

/** Adds or replaces spans by (trace, span id), in chunks of multi-row INSERTs. */
export async function upsertTraceSpans(db: Kysely<Database>, rows: Insertable<TraceSpanTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('trace_spans')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) =>
        oc.columns(['trace_pk', 'span_id']).doUpdateSet((eb) => ({
          parent_span_id: eb.ref('excluded.parent_span_id'),
          name: eb.ref('excluded.name'),
          span_type: eb.ref('excluded.span_type'),
          status: eb.ref('excluded.status'),
          start_time_ns: eb.ref('excluded.start_time_ns'),
          end_time_ns: eb.ref('excluded.end_time_ns'),
          content: eb.ref('excluded.content'),
        })),
      )
      .execute();
  }
}

/** A trace's spans in start order (ties by span id, so the order is stable). */
export function loadTraceSpans(db: Kysely<Database>, pk: number): Promise<TraceSpanRow[]> {
  return db
    .selectFrom('trace_spans')
    .selectAll()
    .where('trace_pk', '=', pk)
    .orderBy('start_time_ns')
    .orderBy('span_id')
    .execute();
}

export async function countTraceSpans(db: Kysely<Database>, pk: number): Promise<number> {
  const r = await db
    .selectFrom('trace_spans')
    .select(sql<number>`COUNT(*)`.as('n'))
    .where('trace_pk', '=', pk)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The traces of a run (linked through `mlflow.sourceRun`), newest first. */
export function findRunTraceIds(db: Kysely<Database>, runUuid: string, limit: number): Promise<{ trace_id: string }[]> {
  return db
    .selectFrom('traces')
    .select('trace_id')
    .where('run_uuid', '=', runUuid)
    .orderBy('timestamp_ms', 'desc')
    .limit(limit)
    .execute();
}

export interface TraceDeletion {
  experimentId: number;
  /** Traces started at or before this time. */
  maxTimestampMs?: number;
  /** The oldest this many of the matching traces. */
  maxTraces?: number;
  traceIds?: string[];
}

/** The surrogate keys of the traces a deletion selects (MLflow: oldest first under `max_traces`). */
export async function selectTracesToDelete(db: Kysely<Database>, d: TraceDeletion): Promise<number[]> {
  let q = db.selectFrom('traces').select('id').where('experiment_id', '=', d.experimentId);
  if (d.maxTimestampMs !== undefined) q = q.where('timestamp_ms', '<=', d.maxTimestampMs);
  if (d.traceIds !== undefined) q = q.where('trace_id', 'in', d.traceIds.length > 0 ? d.traceIds : ['']);
  if (d.maxTraces !== undefined) q = q.orderBy('timestamp_ms').orderBy('id').limit(d.maxTraces);
  return (await q.execute()).map((r) => Number(r.id));
}

/** Deletes traces with everything hanging off them; returns how many traces went. */
export async function deleteTraceRows(db: Kysely<Database>, pks: number[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < pks.length; i += INSERT_CHUNK) {
    const chunk = pks.slice(i, i + INSERT_CHUNK);
    for (const table of ['trace_tags', 'trace_metadata', 'trace_spans', 'trace_assessments'] as const)
      await db.deleteFrom(table).where('trace_pk', 'in', chunk).execute();
    const r = await db.deleteFrom('traces').where('id', 'in', chunk).executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

export async function insertTraceAssessment(
  db: Kysely<Database>,
  row: Insertable<TraceAssessmentTable>,
): Promise<void> {
  await db.insertInto('trace_assessments').values(row).execute();
}

export function findTraceAssessment(
  db: Kysely<Database>,
  assessmentId: string,
): Promise<TraceAssessmentRow | undefined> {
  return db.selectFrom('trace_assessments').selectAll().where('assessment_id', '=', assessmentId).executeTakeFirst();
}

export function loadTraceAssessments(db: Kysely<Database>, pks: number[]): Promise<TraceAssessmentRow[]> {
  if (pks.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('trace_assessments')
    .selectAll()
    .where('trace_pk', 'in', pks)
    .orderBy('trace_pk')
    .orderBy('creation_time')
    .orderBy('assessment_id')
    .execute();
}

export async function updateTraceAssessment(
  db: Kysely<Database>,
  assessmentId: string,
  patch: Updateable<TraceAssessmentTable>,
): Promise<void> {
  await db.updateTable('trace_assessments').set(patch).where('assessment_id', '=', assessmentId).execute();
}

export async function deleteTraceAssessment(db: Kysely<Database>, assessmentId: string): Promise<number> {
  const r = await db.deleteFrom('trace_assessments').where('assessment_id', '=', assessmentId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
