import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { TraceSpanRow } from './trace.repository.ts';

/** Tags of many traces (a page of the traces table), keyed by the trace's surrogate key. */
export async function loadTraceTags(
  db: Kysely<Database>,
  pks: number[],
): Promise<Map<number, { key: string; value: string }[]>> {
  const out = new Map<number, { key: string; value: string }[]>();
  if (pks.length === 0) return out;
  const rows = await db
    .selectFrom('trace_tags')
    .select(['trace_pk', 'key', 'value'])
    .where('trace_pk', 'in', pks)
    .orderBy('trace_pk')
    .orderBy('key')
    .execute();
  for (const r of rows) {
    const pk = Number(r.trace_pk);
    const list = out.get(pk) ?? [];
    list.push({ key: r.key, value: r.value });
    out.set(pk, list);
  }
  return out;
}

/** How many valid assessments of each kind many traces have: one grouped query. */
export async function countTraceAssessments(
  db: Kysely<Database>,
  pks: number[],
): Promise<{ trace_pk: number; kind: string; n: number }[]> {
  if (pks.length === 0) return [];
  const rows = await db
    .selectFrom('trace_assessments')
    .select(['trace_pk', 'kind', sql<number>`COUNT(*)`.as('n')])
    .where('trace_pk', 'in', pks)
    .where('valid', '=', 1)
    .groupBy(['trace_pk', 'kind'])
    .execute();
  return rows.map((r) => ({ trace_pk: Number(r.trace_pk), kind: r.kind, n: Number(r.n) }));
}

const SPAN_TIMES = [
  sql<string | null>`CAST(start_time_ns AS TEXT)`.as('start_ns'),
  sql<string | null>`CAST(end_time_ns AS TEXT)`.as('end_ns'),
] as const;
const OUTLINE = ['span_id', 'parent_span_id', 'name', 'span_type', 'status'] as const;

export type TraceSpanOutlineRow = Pick<TraceSpanRow, (typeof OUTLINE)[number]> & {
  start_ns: string | null;
  end_ns: string | null;
};
export type TraceSpanExactRow = TraceSpanOutlineRow & { content: string };

/**
 * A trace's spans in start order, times as decimal text: SQLite hands BIGINT back as a JS number,
 * which rounds nanoseconds since the epoch (beyond 2^53). `withContent: false` leaves the span's
 * JSON out (the tree and waterfall need only the columns).
 */
export function loadTraceSpansExact(
  db: Kysely<Database>,
  pk: number,
  withContent: false,
): Promise<TraceSpanOutlineRow[]>;
export function loadTraceSpansExact(db: Kysely<Database>, pk: number, withContent: true): Promise<TraceSpanExactRow[]>;
export function loadTraceSpansExact(
  db: Kysely<Database>,
  pk: number,
  withContent: boolean,
): Promise<TraceSpanOutlineRow[] | TraceSpanExactRow[]> {
  const q = db.selectFrom('trace_spans').select(OUTLINE).select(SPAN_TIMES).where('trace_pk', '=', pk);
  return (withContent ? q.select('content') : q).orderBy('start_time_ns').orderBy('span_id').execute();
}

/** One span of a trace, whole. */
export function findTraceSpanExact(
  db: Kysely<Database>,
  pk: number,
  spanId: string,
): Promise<TraceSpanExactRow | undefined> {
  return db
    .selectFrom('trace_spans')
    .select(OUTLINE)
    .select(SPAN_TIMES)
    .select('content')
    .where('trace_pk', '=', pk)
    .where('span_id', '=', spanId)
    .executeTakeFirst();
}
