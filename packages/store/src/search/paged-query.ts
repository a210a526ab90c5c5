import type { LifecycleStage, ViewType } from '@trove/protocol';
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { and } from './filter-compiler.ts';
import { type KeyValue, keysetAfter, orderBySql, type SortColumn, sortKeySelect } from './keyset.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';

/** One slice of the result order: rows of segment i all sort before rows of segment i + 1. */
export interface Segment {
  /** FROM clause body (the table plus any joins), or a function choosing it given the row limit. */
  from: RawBuilder<unknown> | ((limit: number) => Promise<RawBuilder<unknown>>);
  where: Expression<SqlBool>[];
  /** A total order within the segment: the last column must be unique. */
  cols: SortColumn[];
}

export interface PagedQuery {
  /** The id column to return, e.g. runs.id. */
  id: Expression<unknown>;
  where: (Expression<SqlBool> | undefined)[];
  segments: Segment[];
  maxResults: number;
  pageToken?: string;
  fingerprint: string;
}

/**
 * Runs one keyset page: the cursor (segment, sort-key values) becomes a WHERE on the sort keys,
 * never an OFFSET, so every page costs the same. Segments are read in order until one row more
 * than the page is found, which tells whether a next page exists.
 */
export async function fetchPage(
  db: Kysely<Database>,
  q: PagedQuery,
): Promise<{ ids: number[]; nextPageToken?: string }> {
  const cursor =
    q.pageToken === undefined || q.pageToken === ''
      ? undefined
      : decodePageToken(
          q.pageToken,
          q.fingerprint,
          q.segments.map((s) => s.cols.length),
        );
  const found: { segment: number; row: Record<string, KeyValue> }[] = [];
  for (let s = cursor?.segment ?? 0; s < q.segments.length && found.length <= q.maxResults; s++) {
    const { from, where, cols } = q.segments[s];
    const after = cursor !== undefined && s === cursor.segment ? keysetAfter(cols, cursor.after) : undefined;
    const limit = q.maxResults + 1 - found.length;
    const source = typeof from === 'function' ? await from(limit) : from;
    const query = sql<
      Record<string, KeyValue>
    >`SELECT ${q.id} AS id, ${sortKeySelect(cols)} FROM ${source} WHERE ${and([...q.where, ...where, after])} ORDER BY ${orderBySql(cols)} LIMIT ${limit}`;
    const { rows } = await query.execute(db);
    for (const row of rows) found.push({ segment: s, row });
  }
  const page = found.slice(0, q.maxResults);
  const ids = page.map((r) => Number(r.row.id));
  if (found.length <= q.maxResults) return { ids };
  const last = page[page.length - 1];
  const after = q.segments[last.segment].cols.map((_, i) => last.row[`k${i}`]);
  return { ids, nextPageToken: encodePageToken(q.fingerprint, last.segment, after) };
}

/** SQL for the lifecycle filter of a view type. */
export function lifecycleWhere(column: Expression<unknown>, viewType: ViewType): RawBuilder<SqlBool> | undefined {
  if (viewType === 'ALL') return undefined;
  const stage: LifecycleStage = viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted';
  return sql<SqlBool>`${column} = ${stage}`;
}
