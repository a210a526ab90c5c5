/**
 * The rows the runs table shows, in order: hidden runs left out (unless shown), pinned runs on
 * top, child runs (`mlflow.parentRunId`) under their expanded parent when nesting, or, when grouping,
 * one header row per group value with min/max/mean of each metric column.
 */
import type { Run } from '../../api/types.ts';
import { type GroupStats, summarize } from '../../lib/group-stats.ts';
import { cellValue, lookup, runName } from './run-values.ts';

export const PARENT_TAG = 'mlflow.parentRunId';

export interface Arrangement {
  /** A column id to group by (`params.optimizer`, `tags.team`, `attributes.status`); '' for none. */
  groupBy: string;
  pinned: readonly string[];
  hidden: readonly string[];
  showHidden: boolean;
  /** Whether child runs nest under their parent (else the list stays flat, in the server's order). */
  nest: boolean;
  /** Parent runs whose children are shown. */
  expanded: readonly string[];
  /** Group keys whose runs are folded away. */
  collapsed: readonly string[];
}

export interface GroupRow {
  kind: 'group';
  key: string;
  label: string;
  count: number;
  collapsed: boolean;
  /** Per metric column id (`metrics.loss`). */
  stats: Record<string, GroupStats | undefined>;
}

export interface RunRow {
  kind: 'run';
  run: Run;
  depth: number;
  pinned: boolean;
  hidden: boolean;
  childCount: number;
  expanded: boolean;
}

export type DisplayRow = GroupRow | RunRow;

/** The label of runs without a value for the grouping column. */
export const NO_VALUE = '(no value)';

/** The value a run is grouped by, as text; undefined when the run has none. */
export function groupValue(run: Run, groupBy: string): string | undefined {
  const dot = groupBy.indexOf('.');
  const group = groupBy.slice(0, dot);
  const key = groupBy.slice(dot + 1);
  if (group === 'params' || group === 'tags' || group === 'metrics') {
    const v = cellValue(run, group, key);
    return v === undefined ? undefined : String(v);
  }
  if (group === 'attributes') {
    if (key === 'status') return run.info.status;
    if (key === 'user_id') return run.info.user_id || undefined;
    if (key === 'run_name') return runName(run);
  }
  return undefined;
}

export function parentOf(run: Run): string | undefined {
  return lookup(run).tags.get(PARENT_TAG) || undefined;
}

export function arrangeRuns(runs: readonly Run[], a: Arrangement, metricColumns: readonly string[]): DisplayRow[] {
  const hidden = new Set(a.hidden);
  const pinned = new Set(a.pinned);
  const visible = runs.filter((r) => a.showHidden || !hidden.has(r.info.run_id));
  const pinnedFirst = (list: readonly Run[]) => [
    ...list.filter((r) => pinned.has(r.info.run_id)),
    ...list.filter((r) => !pinned.has(r.info.run_id)),
  ];
  const runRow = (run: Run, depth: number, childCount: number, expanded: boolean): RunRow => ({
    kind: 'run',
    run,
    depth,
    pinned: pinned.has(run.info.run_id),
    hidden: hidden.has(run.info.run_id),
    childCount,
    expanded,
  });

  // Grouping shows every run in its own value's group, so nesting is flattened.
  if (a.groupBy !== '') {
    const collapsed = new Set(a.collapsed);
    const groups = new Map<string, Run[]>();
    for (const run of visible) {
      const key = groupValue(run, a.groupBy) ?? '';
      const members = groups.get(key);
      if (members) members.push(run);
      else groups.set(key, [run]);
    }
    const out: DisplayRow[] = [];
    for (const [key, members] of groups) {
      const stats: Record<string, GroupStats | undefined> = {};
      for (const col of metricColumns)
        stats[col] = summarize(members.map((r) => cellValue(r, 'metrics', col.slice('metrics.'.length))));
      const folded = collapsed.has(key);
      out.push({
        kind: 'group',
        key,
        label: key === '' ? NO_VALUE : key,
        count: members.length,
        collapsed: folded,
        stats,
      });
      if (!folded) for (const run of pinnedFirst(members)) out.push(runRow(run, 0, 0, false));
    }
    return out;
  }

  const byId = new Map(visible.map((r) => [r.info.run_id, r]));
  const children = new Map<string, Run[]>();
  const roots: Run[] = [];
  for (const run of visible) {
    const parent = a.nest ? nestedParent(run, byId) : undefined;
    if (parent === undefined) roots.push(run);
    else {
      const list = children.get(parent);
      if (list) list.push(run);
      else children.set(parent, [run]);
    }
  }
  const expanded = new Set(a.expanded);
  const out: DisplayRow[] = [];
  const emit = (run: Run, depth: number) => {
    const kids = children.get(run.info.run_id) ?? [];
    const open = kids.length > 0 && expanded.has(run.info.run_id);
    out.push(runRow(run, depth, kids.length, open));
    if (open) for (const kid of pinnedFirst(kids)) emit(kid, depth + 1);
  };
  for (const run of pinnedFirst(roots)) emit(run, 0);
  return out;
}

/** The loaded parent a run nests under, unless following parents loops (then it stays at the top). */
function nestedParent(run: Run, loaded: ReadonlyMap<string, Run>): string | undefined {
  const parent = parentOf(run);
  if (parent === undefined || !loaded.has(parent)) return undefined;
  const seen = new Set([run.info.run_id]);
  for (let at = loaded.get(parent); at !== undefined; at = loaded.get(parentOf(at) ?? '')) {
    if (seen.has(at.info.run_id)) return undefined;
    seen.add(at.info.run_id);
  }
  return parent;
}
