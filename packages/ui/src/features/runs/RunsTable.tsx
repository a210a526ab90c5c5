import {
  type CellContext,
  type Column,
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Row,
  type RowSelectionState,
  type SortingState,
  type Table,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { Run } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatDuration, formatNumber, formatTime, runDuration } from '../../lib/format.ts';
import type { SortKey } from '../../lib/url-state.ts';
import { RunTagChips } from '../tags/TagChip.tsx';
import { GroupHeaderRow } from './GroupHeaderRow.tsx';
import { RunTools, type RunToolsActions } from './RunTools.tsx';
import { type Arrangement, arrangeRuns, type RunRow } from './run-rows.ts';
import { cellValue, type DataGroup, groupColumns, runName } from './run-values.ts';
import './runs-arrange.css';
import './runs-columns.css';
import { type ColumnSlot, useColumnWindow } from './use-column-window.ts';

const ROW_HEIGHT = 35;

export interface RunsTableProps {
  experimentId: string;
  runs: Run[];
  columns: string[];
  sort: SortKey[];
  onSort: (sort: SortKey[]) => void;
  selected: string[];
  onSelect: (ids: string[]) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Grouping, pins, hidden runs, nesting (see run-rows.ts). */
  arrangement: Arrangement;
  /** Run id → swatch colour (chosen, or the palette colour of its position). */
  colors: Readonly<Record<string, string>>;
  actions: RunToolsActions;
}

type HeaderGroup = DataGroup | 'run' | 'pad';
const GROUP_LABEL: Record<HeaderGroup, string> = { run: '', pad: '', metrics: 'Metrics', params: 'Parameters', tags: 'Tags' };

/**
 * The runs of an experiment: TanStack Table for columns, sorting and selection (sorting is done by
 * the server: `manualSorting`), TanStack Virtual so only the rows *and columns* in view are in
 * the DOM (`use-column-window.ts`): 5,000 param/metric columns render like twenty.
 */
export function RunsTable(props: RunsTableProps) {
  const { experimentId, runs, sort, selected, hasMore, loadingMore, onLoadMore, arrangement, colors, actions } = props;
  const dataColumns = useMemo(() => groupColumns(props.columns), [props.columns]);
  const metricColumns = useMemo(() => dataColumns.filter((c) => c.group === 'metrics').map((c) => c.id), [dataColumns]);
  const display = useMemo(() => arrangeRuns(runs, arrangement, metricColumns), [runs, arrangement, metricColumns]);
  const runView = useMemo<RunView>(() => {
    const rowsOf = new Map<string, RunRow>();
    for (const d of display) if (d.kind === 'run') rowsOf.set(d.run.info.run_id, d);
    return { rowsOf, colors, actions };
  }, [display, colors, actions]);
  // Cells read the arrangement through a ref: a pin, a colour or a new page must not rebuild
  // thousands of column definitions.
  const runViewRef = useRef(runView);
  runViewRef.current = runView;
  const columns = useMemo(() => buildColumns(experimentId, dataColumns, runViewRef), [experimentId, dataColumns]);
  const rowSelection = useMemo<RowSelectionState>(() => Object.fromEntries(selected.map((id) => [id, true])), [selected]);

  const table = useReactTable({
    data: runs,
    columns,
    getRowId: (r) => r.info.run_id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting: sort as SortingState, rowSelection },
    onSortingChange: (updater) => props.onSort(typeof updater === 'function' ? updater(sort as SortingState) : updater),
    onRowSelectionChange: (updater) => {
      const next = typeof updater === 'function' ? updater(rowSelection) : updater;
      props.onSelect(Object.keys(next).filter((k) => next[k]));
    },
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowsById = table.getRowModel().rowsById;
  const virtualizer = useVirtualizer({ count: display.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    // Fetch the next page while the user is still a screen or two away from the end.
    if (hasMore && !loadingMore && lastIndex >= display.length - 40) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, display.length, onLoadMore]);

  const paddingTop = items.length > 0 ? items[0].start : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const leafColumns = table.getVisibleLeafColumns();
  const firstData = leafColumns.findIndex((c) => groupOf(c) !== 'run');
  const { slots, width } = useColumnWindow(scrollRef, leafColumns, firstData < 0 ? leafColumns.length : firstData);
  const groups = headerGroups(slots.map((s) => (s.kind === 'pad' ? 'pad' : groupOf(s.column))));

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={-1}>
      <table className="grid" style={{ width }} aria-label="Runs" aria-rowcount={display.length + (hasMore ? 1 : 0)} aria-colcount={leafColumns.length}>
        <colgroup>
          {slots.map((s) => (
            <col key={s.id} style={{ width: s.kind === 'pad' ? s.width : s.column.getSize() }} />
          ))}
        </colgroup>
        <thead>
          <tr className="group">
            {groups.map((g, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: header groups are positional
              <th key={i} colSpan={g.span} scope="colgroup" className={i === 0 ? 'sticky' : undefined}>
                {GROUP_LABEL[g.group]}
              </th>
            ))}
          </tr>
          {table.getHeaderGroups().map((hg) => {
            const headerOf = new Map(hg.headers.map((h) => [h.column.id, h]));
            return (
              <tr key={hg.id}>
                {slots.map((slot) => {
                  const h = slot.kind === 'column' ? headerOf.get(slot.id) : undefined;
                  if (!h) return <td key={slot.id} className="col-pad" />;
                  const sorted = h.column.getIsSorted();
                  const meta = h.column.columnDef.meta as ColumnMeta | undefined;
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      className={meta?.className}
                      title={meta?.title}
                      aria-sort={h.column.getCanSort() ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined}
                    >
                      {h.column.getCanSort() ? (
                        <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()} aria-label={`Sort by ${meta?.title ?? h.column.id}`}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span className="sort-mark" aria-hidden="true">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                          </span>
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            );
          })}
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr className="spacer">
              <td colSpan={slots.length} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const shown = display[item.index];
            if (shown.kind === 'group') {
              return (
                <GroupHeaderRow
                  key={`group:${shown.key}`}
                  group={shown}
                  groupBy={arrangement.groupBy}
                  columns={slots.map((s) => s.id)}
                  rowIndex={item.index + 1}
                  height={ROW_HEIGHT}
                  onToggle={() => actions.toggleGroup(shown.key)}
                />
              );
            }
            const row = rowsById[shown.run.info.run_id];
            const rowClass = [shown.pinned ? 'run-pinned' : '', shown.hidden ? 'run-hidden' : ''].join(' ').trim() || undefined;
            return (
              <RunRowView
                key={row.id}
                table={table}
                row={row}
                slots={slots}
                rowIndex={item.index + 1}
                selected={row.getIsSelected()}
                className={rowClass}
                shown={shown}
                color={colors[row.id]}
                actions={actions}
              />
            );
          })}
          {paddingBottom > 0 ? (
            <tr className="spacer">
              <td colSpan={slots.length} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
      {loadingMore ? (
        <p className="muted" role="status" style={{ padding: '6px 10px', margin: 0 }}>
          Loading more runs…
        </p>
      ) : null}
    </div>
  );
}

interface RunRowViewProps {
  table: Table<Run>;
  row: Row<Run>;
  slots: ColumnSlot<Run>[];
  rowIndex: number;
  selected: boolean;
  className: string | undefined;
  /** The cells read these through `viewRef`; as props they tell the memo when to re-render. */
  shown: RunRow;
  color: string | undefined;
  actions: RunToolsActions;
}

/**
 * A row re-renders only when what it shows changed: the same run (a new page of runs rebuilds
 * every TanStack row object, not the runs), the same column slots, the same place in the
 * arrangement, colour and selection.
 */
function sameRow(a: RunRowViewProps, b: RunRowViewProps): boolean {
  return (
    a.row.original === b.row.original &&
    a.slots === b.slots &&
    a.table === b.table &&
    a.rowIndex === b.rowIndex &&
    a.selected === b.selected &&
    a.className === b.className &&
    a.color === b.color &&
    a.actions === b.actions &&
    a.shown.depth === b.shown.depth &&
    a.shown.childCount === b.shown.childCount &&
    a.shown.expanded === b.shown.expanded &&
    a.shown.pinned === b.shown.pinned &&
    a.shown.hidden === b.shown.hidden
  );
}

/**
 * One run's row. Memoized (see `sameRow`): while the table scrolls, rows already in view skip
 * rendering and only rows entering the window render (measured: scripting was ~8 ms of each
 * 16.7 ms scroll frame when every row re-rendered).
 */
const RunRowView = memo(function RunRowView({ table, row, slots, rowIndex, selected, className, shown, color, actions }: RunRowViewProps) {
  // Everything besides the run that a cell may show: cells re-render only when it changes.
  const state = `${selected}|${color}|${shown.depth}|${shown.childCount}|${shown.expanded}|${shown.pinned}|${shown.hidden}`;
  return (
    <tr className={className} aria-selected={selected} aria-rowindex={rowIndex} style={{ height: ROW_HEIGHT }} data-run-id={row.id}>
      {slots.map((slot) =>
        slot.kind === 'pad' ? (
          <td key={slot.id} className="col-pad" aria-hidden="true" />
        ) : (
          <RunCell key={slot.id} table={table} row={row} column={slot.column} state={state} actions={actions} />
        ),
      )}
    </tr>
  );
}, sameRow);

interface RunCellProps {
  table: Table<Run>;
  row: Row<Run>;
  column: Column<Run, unknown>;
  state: string;
  /** Read by the run-tools and nesting cells (through `viewRef`); new actions close over the new arrangement. */
  actions: RunToolsActions;
}

/** One cell, memoized on its run and column: when scrolling across moves the column window, only cells entering it render. */
const RunCell = memo(
  function RunCell({ table, row, column }: RunCellProps) {
    return <td className={(column.columnDef.meta as ColumnMeta | undefined)?.className}>{flexRender(column.columnDef.cell, cellContext(table, row, column))}</td>;
  },
  (a, b) => a.row.original === b.row.original && a.column === b.column && a.table === b.table && a.state === b.state && a.actions === b.actions,
);

/** What the per-run cells need beyond the run: its place in the arrangement, its colour, the row actions. */
interface RunView {
  rowsOf: ReadonlyMap<string, RunRow>;
  colors: Readonly<Record<string, string>>;
  actions: RunToolsActions;
}

interface ColumnMeta {
  group: DataGroup | 'run';
  className?: string;
  title?: string;
}

const groupOf = (c: Column<Run, unknown>): DataGroup | 'run' => (c.columnDef.meta as ColumnMeta | undefined)?.group ?? 'run';

/**
 * The renderers here read only `row` and `table`: a light context per rendered cell spares
 * TanStack building every cell of every row (`row.getVisibleCells()`), thousands per row.
 */
function cellContext(table: Table<Run>, row: Row<Run>, column: Column<Run, unknown>): CellContext<Run, unknown> {
  return { table, row, column, cell: undefined as never, getValue: () => row.getValue(column.id), renderValue: () => row.renderValue(column.id) } as CellContext<Run, unknown>;
}

function headerGroups(groups: HeaderGroup[]): { group: HeaderGroup; span: number }[] {
  const out: { group: HeaderGroup; span: number }[] = [];
  groups.forEach((g, i) => {
    // The select column stays alone so the sticky first cell lines up with the body.
    if (i > 1 && out[out.length - 1].group === g) out[out.length - 1].span++;
    else out.push({ group: g, span: 1 });
  });
  return out;
}

function buildColumns(experimentId: string, data: { group: DataGroup; key: string; id: string }[], viewRef: { readonly current: RunView }): ColumnDef<Run>[] {
  const runMeta = (title: string, className?: string): ColumnMeta => ({ group: 'run', title, className });
  const columns: ColumnDef<Run>[] = [
    {
      id: 'select',
      size: 44,
      enableSorting: false,
      meta: { group: 'run', className: 'sticky select' } satisfies ColumnMeta,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all loaded runs"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected();
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => <input type="checkbox" aria-label={`Select run ${runName(row.original)}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
    },
    {
      id: 'attributes.run_name',
      // TanStack sorts only columns with an accessor; the server does the sorting (manualSorting).
      accessorFn: (r) => runName(r),
      size: 220,
      header: 'Run name',
      meta: runMeta('Run name'),
      cell: ({ row }) => {
        const view = viewRef.current;
        const shown = view.rowsOf.get(row.original.info.run_id);
        const name = runName(row.original);
        return (
          <>
            <span className="nest-spacer" style={{ width: (shown?.depth ?? 0) * 16 }} />
            {shown && shown.childCount > 0 ? (
              <button
                type="button"
                className="nest-toggle"
                aria-expanded={shown.expanded}
                aria-label={`${shown.expanded ? 'Hide' : 'Show'} the ${shown.childCount} child runs of ${name}`}
                onClick={() => view.actions.toggleExpanded(row.original.info.run_id)}
              >
                {shown.expanded ? '▾' : '▸'}
              </button>
            ) : null}
            <Link to={`/experiments/${encodeURIComponent(experimentId)}/runs/${row.original.info.run_id}`} title={row.original.info.run_id}>
              {name}
            </Link>
            {shown && shown.childCount > 0 ? <span className="muted"> ({shown.childCount})</span> : null}
          </>
        );
      },
    },
    {
      id: 'run-tools',
      size: 84,
      enableSorting: false,
      header: () => <span className="sr-only">Pin, hide, colour</span>,
      meta: runMeta('Pin, hide, colour'),
      cell: ({ row }) => {
        const id = row.original.info.run_id;
        const view = viewRef.current;
        const shown = view.rowsOf.get(id);
        return (
          <RunTools
            name={runName(row.original)}
            runId={id}
            pinned={shown?.pinned ?? false}
            hidden={shown?.hidden ?? false}
            color={view.colors[id] ?? '#888888'}
            actions={view.actions}
          />
        );
      },
    },
    {
      id: 'attributes.status',
      accessorFn: (r) => r.info.status,
      size: 104,
      header: 'Status',
      meta: runMeta('Status'),
      cell: ({ row }) => <StatusBadge status={row.original.info.status} />,
    },
    {
      id: 'attributes.start_time',
      accessorFn: (r) => Number(r.info.start_time),
      sortDescFirst: true,
      size: 176,
      header: 'Started',
      meta: runMeta('Started'),
      cell: ({ row }) => formatTime(row.original.info.start_time),
    },
    {
      id: 'duration',
      size: 90,
      header: 'Duration',
      enableSorting: false,
      meta: runMeta('Duration', 'num'),
      cell: ({ row }) => formatDuration(runDuration(Number(row.original.info.start_time), Number(row.original.info.end_time) || undefined)),
    },
    { id: 'attributes.user_id', accessorFn: (r) => r.info.user_id ?? '', size: 110, header: 'User', meta: runMeta('User'), cell: ({ row }) => row.original.info.user_id ?? '' },
    {
      id: 'tag-chips',
      size: 200,
      header: 'All tags',
      enableSorting: false,
      meta: runMeta('All tags', 'tag-chips'),
      cell: ({ row }) => <RunTagChips tags={row.original.data.tags} />,
    },
  ];
  for (const c of data) {
    columns.push({
      id: c.id,
      accessorFn: (r) => cellValue(r, c.group, c.key),
      size: 130,
      header: c.key,
      meta: { group: c.group, title: `${c.group}.${c.key}`, className: c.group === 'metrics' ? 'num' : undefined } satisfies ColumnMeta,
      sortDescFirst: c.group === 'metrics',
      cell: ({ row }) => {
        const v = cellValue(row.original, c.group, c.key);
        if (v === undefined) return '';
        return c.group === 'metrics' ? formatNumber(v) : <span title={String(v)}>{String(v)}</span>;
      },
    });
  }
  return columns;
}
