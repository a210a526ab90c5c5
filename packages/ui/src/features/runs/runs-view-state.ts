/**
 * The runs table's arrangement in the URL (grouping, pins, hidden runs, colours, nesting,
 * auto-refresh, the applied view, the chart layout) and the mapping between the page's URL
 * state and a saved view's state document.
 */

import type { ViewState } from '../../api/views.ts';
import { type ChartLayout, chartLayoutField, parseChartLayout } from '../../charts/chart-layout.ts';
import { encodeRunColors, parseRunColors } from '../../lib/run-colors.ts';
import { flag, list, type SortKey, str } from '../../lib/url-state.ts';
import { encodeWidths, parseWidths } from './column-layout.ts';

export const arrangementSpec = {
  group: str(),
  /** Folded group keys. */
  fold: list(),
  pin: list(),
  hide: list(),
  showhidden: flag(),
  /** `<runId>:#rrggbb`. */
  color: list(),
  /** Child runs nest under their parents. */
  nest: flag(),
  /** Parent runs shown with their children. */
  expand: list(),
  refresh: flag(),
  /** The saved view last applied (its id), so "Update" knows which one. */
  view: str(),
  charts: chartLayoutField(),
};

/** What of the page's URL state a view stores. */
export interface RunsViewFields {
  filter: string;
  name: string;
  status: string;
  sort: SortKey[];
  col: string[] | null;
  fixed: string[] | null;
  width: string[] | null;
  group: string;
  pin: string[] | null;
  hide: string[] | null;
  color: string[] | null;
  /** null: none chosen, the page derives one. */
  charts: ChartLayout | null;
}

export function toViewState(s: RunsViewFields): ViewState {
  return {
    version: 1,
    filter: s.filter,
    name_contains: s.name,
    status: s.status,
    columns: s.col,
    sort: s.sort.map(({ id, desc }) => ({ id, desc })),
    group_by: s.group,
    pinned: s.pin ?? [],
    hidden: s.hide ?? [],
    colors: parseRunColors(s.color),
    charts: s.charts ? { ...s.charts } : null,
    fixed_columns: s.fixed,
    column_widths: parseWidths(s.width),
  };
}

/** The URL patch that applies a view: every stored field, and folds/expansions reset. */
export function fromViewState(v: ViewState) {
  return {
    filter: v.filter,
    name: v.name_contains,
    status: v.status,
    sort: v.sort,
    col: v.columns,
    fixed: v.fixed_columns,
    width: encodeWidths(v.column_widths),
    group: v.group_by,
    pin: v.pinned.length > 0 ? v.pinned : null,
    hide: v.hidden.length > 0 ? v.hidden : null,
    color: Object.keys(v.colors).length > 0 ? encodeRunColors(v.colors) : null,
    charts: v.charts === null ? null : parseChartLayout(v.charts),
    fold: null,
    expand: null,
  };
}

/** Whether the page shows what the view stores (so the menu can say "modified"). */
export function sameAsView(s: RunsViewFields, v: ViewState): boolean {
  // Layouts compared in one key order and with their defaults filled in.
  const layout = (c: unknown) => (c === null ? null : { ...parseChartLayout(c) });
  return (
    JSON.stringify({ ...toViewState(s), charts: layout(s.charts) }) ===
    JSON.stringify({
      ...v,
      charts: layout(v.charts),
      // Views saved before these fields existed.
      fixed_columns: v.fixed_columns ?? null,
      column_widths: v.column_widths ?? {},
    })
  );
}
