import { Views } from '@trove/protocol';
import type { ViewType } from '../../api/mlflow.ts';
import { buildRunFilter, orderByClause, type RunStatus } from '../../lib/filter.ts';
import { flag, list, oneOf, type StateOf, sortList, str } from '../../lib/url-state.ts';
import { arrangementSpec } from './runs-view-state.ts';

/** The status filter's choices ('' = any), in menu order: what a saved view's `status` may hold. */
export const STATUSES = Views.STATUS_FILTERS;

/** The experiment page's URL: filter controls, sort, columns, selection, and the table's arrangement. */
export const experimentSpec = {
  filter: str(),
  name: str(),
  status: oneOf(STATUSES, ''),
  sort: sortList([{ id: 'attributes.start_time', desc: true }]),
  col: list(),
  /** The run columns shown after the run name, in order (column-layout.ts); null: the defaults. */
  fixed: list(),
  /** Column widths, `id:px`. */
  width: list(),
  sel: list(),
  /** Show the experiment's deleted runs (to restore them) instead of its active ones. */
  deleted: flag(),
  ...arrangementSpec,
};

export type ExperimentState = StateOf<typeof experimentSpec>;

/** What the runs search sends for this URL state: the filter text, order_by clauses and view type. */
export function runSearchArgs(state: Pick<ExperimentState, 'filter' | 'name' | 'status' | 'sort' | 'deleted'>): {
  filter: string;
  orderBy: string[];
  viewType: ViewType;
} {
  return {
    filter: buildRunFilter({
      text: state.filter,
      nameContains: state.name,
      statuses: state.status ? [state.status as RunStatus] : [],
    }),
    orderBy: state.sort.map((s) => orderByClause(s.id, s.desc)),
    viewType: state.deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY',
  };
}
