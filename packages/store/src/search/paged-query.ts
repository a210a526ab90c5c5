import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { and } from './filter-compiler.ts';
import { type KeyValue, keysetAfter, orderBySql, type SortColumn, sortKeySelect } from './keyset.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';

export interface PagedQuery {
  /** The id column to return, e.g. runs.id. */
  id: Expression<unknown>;
  /** FROM clause body: the table plus any joins. */
  from: RawBuilder<unknown>;
  where: (Expression<SqlBool> | undefined)[];
  /** A total order: the last column must be unique. */
  cols: SortColumn[];
  maxResults: number;
  pageToken?: string;
  fingerprint: string;
}

/**
 * Runs one keyset page: the cursor becomes a WHERE on the sort keys (no OFFSET, so every page
 * costs the same), and one extra row is fetched to know whether a next page exists.
 */
export async function fetchPage(db: Kysely<Database>, q: PagedQuery): Promise<{ ids: number[]; nextPageToken?: string }> {
  const cursor = q.pageToken === undefined || q.pageToken === '' ? undefined : decodePageToken(q.pageToken, q.fingerprint, q.cols.length);
  const where = and([...q.where, cursor && keysetAfter(q.cols, cursor)]);
  const query = sql<Record<string, KeyValue>>`SELECT ${q.id} AS id, ${sortKeySelect(q.cols)} FROM ${q.from} WHERE ${where} ORDER BY ${orderBySql(q.cols)} LIMIT ${q.maxResults + 1}`;
  const { rows } = await query.execute(db);
  const page = rows.slice(0, q.maxResults);
  const ids = page.map((r) => Number(r.id));
  if (rows.length <= q.maxResults || page.length === 0) return { ids };
  const last = page[page.length - 1];
  return { ids, nextPageToken: encodePageToken(q.fingerprint, q.cols.map((_, i) => last[`k${i}`])) };
}

/** SQL for the lifecycle filter of a view type. */
export function lifecycleWhere(column: Expression<unknown>, viewType: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'): RawBuilder<SqlBool> | undefined {
  if (viewType === 'ALL') return undefined;
  return sql<SqlBool>`${column} = ${viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted'}`;
}
