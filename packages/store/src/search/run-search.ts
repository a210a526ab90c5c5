import type { ViewType } from '@trove/protocol';
import { type SqlBool, sql } from 'kysely';
import type { Store } from '../store.ts';
import { compileFilter } from './filter-compiler.ts';
import { parseFilter } from './filter-parser.ts';
import { runCompare } from './filter-targets.ts';
import { chooseFrom } from './lead-probe.ts';
import { parseOrderBy } from './order-by.ts';
import { queryFingerprint } from './page-token.ts';
import { fetchPage, lifecycleWhere } from './paged-query.ts';
import { planRunOrder } from './run-order.ts';
import { sqlOpsFor } from './sql-ops.ts';

export interface RunSearchQuery {
  experimentIds: number[];
  filter?: string;
  viewType: ViewType;
  maxResults: number;
  orderBy: string[];
  pageToken?: string;
}

/** runs/search: the matching runs' ids (runs.id) in result order, plus a token when more may follow. */
export async function searchRuns(
  store: Store,
  q: RunSearchQuery,
): Promise<{ runIds: number[]; nextPageToken?: string }> {
  const ast = parseFilter(q.filter ?? '', 'runs');
  const ops = sqlOpsFor(store);
  const plan = planRunOrder(parseOrderBy(q.orderBy, 'runs'), ast, ops);
  const experimentIds = [...new Set(q.experimentIds)].sort((a, b) => a - b);
  const fingerprint = queryFingerprint(['runs', q.filter ?? '', q.orderBy, experimentIds, q.viewType]);
  const inExperiments =
    experimentIds.length === 1
      ? sql<SqlBool>`runs.experiment_id = ${experimentIds[0]}`
      : sql<SqlBool>`runs.experiment_id IN (${sql.join(experimentIds.length > 0 ? experimentIds : [null])})`;
  const scope = [inExperiments, lifecycleWhere(sql.ref('runs.lifecycle_stage'), q.viewType)].filter(
    (w) => w !== undefined,
  );
  const segments = plan.segments.map(({ from, leadFirst, probe, where, cols }) => ({
    from: leadFirst && probe ? chooseFrom(store.db, probe, scope, leadFirst, from) : from,
    where,
    cols,
  }));
  const page = await fetchPage(store.db, {
    id: sql.ref('runs.id'),
    where: [...scope, compileFilter(ast, runCompare(ops), plan.overrides)],
    segments,
    maxResults: q.maxResults,
    pageToken: q.pageToken,
    fingerprint,
  });
  return page.nextPageToken === undefined
    ? { runIds: page.ids }
    : { runIds: page.ids, nextPageToken: page.nextPageToken };
}
