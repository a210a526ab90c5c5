import type { ViewType } from '@trove/protocol';
import { sql } from 'kysely';
import type { Store } from '../store.ts';
import type { OrderKey } from './ast.ts';
import { compileFilter } from './filter-compiler.ts';
import { parseFilter } from './filter-parser.ts';
import { experimentCompare } from './filter-targets.ts';
import type { SortColumn } from './keyset.ts';
import { parseOrderBy } from './order-by.ts';
import { queryFingerprint } from './page-token.ts';
import { fetchPage, lifecycleWhere } from './paged-query.ts';
import { sqlOpsFor } from './sql-ops.ts';
import { type Visibility, visibilityWhere } from './visibility.ts';

export interface ExperimentSearchQuery {
  workspaceId: number;
  filter?: string;
  viewType: ViewType;
  maxResults: number;
  orderBy: string[];
  pageToken?: string;
  /** The experiments the caller may see (auth); all when undefined. */
  visible?: Visibility<number>;
}

const DEFAULT_ORDER: OrderKey[] = [
  { kind: 'attribute', key: 'creation_time', desc: true },
  { kind: 'attribute', key: 'experiment_id', desc: false },
];

/** MLflow's order: the default, or the given keys with `experiment_id DESC` appended as tie-break. */
function experimentOrder(orderBy: string[]): SortColumn[] {
  const keys = orderBy.length === 0 ? DEFAULT_ORDER : parseOrderBy(orderBy, 'experiments');
  if (!keys.some((k) => k.key === 'experiment_id')) keys.push({ kind: 'attribute', key: 'experiment_id', desc: true });
  return keys.map((k) => ({ expr: sql.ref(`experiments.${k.key}`), desc: k.desc, nullable: false }));
}

/** experiments/search within one workspace: experiment ids in result order. */
export async function searchExperiments(
  store: Store,
  q: ExperimentSearchQuery,
): Promise<{ experimentIds: number[]; nextPageToken?: string }> {
  const ast = parseFilter(q.filter ?? '', 'experiments');
  const cols = experimentOrder(q.orderBy);
  const page = await fetchPage(store.db, {
    id: sql.ref('experiments.experiment_id'),
    where: [
      sql`experiments.workspace_id = ${q.workspaceId}`,
      lifecycleWhere(sql.ref('experiments.lifecycle_stage'), q.viewType),
      compileFilter(ast, experimentCompare(sqlOpsFor(store))),
      visibilityWhere(sql.ref('experiments.experiment_id'), q.visible),
    ],
    segments: [{ from: sql`experiments`, where: [], cols }],
    maxResults: q.maxResults,
    pageToken: q.pageToken,
    fingerprint: queryFingerprint(['experiments', q.filter ?? '', q.orderBy, q.workspaceId, q.viewType]),
  });
  return page.nextPageToken === undefined
    ? { experimentIds: page.ids }
    : { experimentIds: page.ids, nextPageToken: page.nextPageToken };
}
