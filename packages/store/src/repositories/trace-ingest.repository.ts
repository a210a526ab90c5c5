import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { TraceKvKind } from './trace.repository.ts';

/** 13 columns × 150 rows per INSERT stays far below both databases' bind limits. */
const TRACE_CHUNK = 150;
/** Span ids per `IN (…)` list. */
const ID_CHUNK = 400;

/**
 * What one batch of spans says about a trace (OpenTelemetry ingest). Merged into the stored row:
 * the earliest timestamp wins, a root span's execution time, state, name and previews replace
 * what is there (`state: 'IN_PROGRESS'` and nulls leave it), token counts and `span_count` add up.
 */
export interface TraceSummary {
  trace_id: string;
  experiment_id: number;
  timestamp_ms: number;
  execution_time_ms: number | null;
  state: string;
  name: string | null;
  request_preview: string | null;
  response_preview: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  /** Spans of this batch the trace did not hold yet. */
  span_count: number;
  spans_format: string;
}

export interface MergedTrace {
  id: number;
  trace_id: string;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
}

const nullableNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Creates or updates many traces in multi-row upserts; returns each one's key and token totals. */
export async function mergeTraceSummaries(db: Kysely<Database>, rows: TraceSummary[]): Promise<MergedTrace[]> {
  const out: MergedTrace[] = [];
  const summed = (c: 'input_tokens' | 'output_tokens' | 'total_tokens') =>
    sql<number>`CASE WHEN excluded.${sql.ref(c)} IS NULL THEN traces.${sql.ref(c)} ELSE COALESCE(traces.${sql.ref(c)}, 0) + excluded.${sql.ref(c)} END`;
  const latest = (c: 'execution_time_ms' | 'name' | 'request_preview' | 'response_preview') =>
    sql<never>`COALESCE(excluded.${sql.ref(c)}, traces.${sql.ref(c)})`;
  for (let i = 0; i < rows.length; i += TRACE_CHUNK) {
    const merged = await db
      .insertInto('traces')
      .values(rows.slice(i, i + TRACE_CHUNK))
      .onConflict((oc) =>
        oc.column('trace_id').doUpdateSet({
          timestamp_ms: sql`CASE WHEN excluded.timestamp_ms < traces.timestamp_ms THEN excluded.timestamp_ms ELSE traces.timestamp_ms END`,
          execution_time_ms: latest('execution_time_ms'),
          state: sql`CASE WHEN excluded.state = 'IN_PROGRESS' THEN traces.state ELSE excluded.state END`,
          name: latest('name'),
          request_preview: latest('request_preview'),
          response_preview: latest('response_preview'),
          input_tokens: summed('input_tokens'),
          output_tokens: summed('output_tokens'),
          total_tokens: summed('total_tokens'),
          span_count: sql`traces.span_count + excluded.span_count`,
          spans_format: sql`COALESCE(traces.spans_format, excluded.spans_format)`,
        }),
      )
      .returning(['id', 'trace_id', 'input_tokens', 'output_tokens', 'total_tokens'])
      .execute();
    for (const r of merged)
      out.push({
        id: Number(r.id),
        trace_id: r.trace_id,
        input_tokens: nullableNumber(r.input_tokens),
        output_tokens: nullableNumber(r.output_tokens),
        total_tokens: nullableNumber(r.total_tokens),
      });
  }
  return out;
}

/** Which of `spanIds` the traces `pks` already hold, as `<trace pk>/<span id>`. */
export async function findStoredSpanKeys(db: Kysely<Database>, pks: number[], spanIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (pks.length === 0 || spanIds.length === 0) return found;
  for (let i = 0; i < spanIds.length; i += ID_CHUNK) {
    const rows = await db
      .selectFrom('trace_spans')
      .select(['trace_pk', 'span_id'])
      .where('trace_pk', 'in', pks)
      .where('span_id', 'in', spanIds.slice(i, i + ID_CHUNK))
      .execute();
    for (const r of rows) found.add(`${Number(r.trace_pk)}/${r.span_id}`);
  }
  return found;
}

/** Tag or metadata rows of many traces in multi-row upserts; the last value given for a key wins. */
export async function upsertTraceKvRows(
  db: Kysely<Database>,
  table: TraceKvKind,
  rows: { trace_pk: number; key: string; value: string }[],
): Promise<void> {
  const unique = [...new Map(rows.map((r) => [`${r.trace_pk}/${r.key}`, r])).values()];
  for (let i = 0; i < unique.length; i += ID_CHUNK) {
    await db
      .insertInto(table)
      .values(unique.slice(i, i + ID_CHUNK))
      .onConflict((oc) => oc.columns(['trace_pk', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
      .execute();
  }
}
