import {
  flexRender,
  getCoreRowModel,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Run } from '../../api/types.ts';
import type { SortKey } from '../../lib/url-state.ts';
import { ColumnResizer } from './ColumnResizer.tsx';
import { GroupHeaderRow } from './GroupHeaderRow.tsx';
import { ROW_HEIGHT, RunRowView } from './RunsTableRow.tsx';
import type { RunToolsActions } from './RunTools.tsx';
import { buildColumns, type ColumnMeta, groupOf, type RunView } from './run-columns.tsx';
import { type Arrangement, arrangeRuns, type RunRow } from './run-rows.ts';
import { type DataGroup, dataColumnsOf } from './run-values.ts';
import './runs-arrange.css';
import './runs-columns.css';
import { type ColumnSlot, useColumnWindow } from './use-column-window.ts';

export interface RunsTableProps {
  experimentId: string;
  runs: Run[];
  /** Data column ids (`metrics.loss`), in the order shown. */
  columns: string[];
  /** Run columns shown after the run name, in order (column-layout.ts). */
  fixedColumns: string[];
  /** Column id → width in pixels, where the user set one. */
  widths: Readonly<Record<string, number>>;
  onResize: (columnId: string, px: number) => void;
  /** A header dragged onto another: move `columnId` to where `targetId` is. */
  onReorder: (columnId: string, targetId: string) => void;
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

/** The drag payload of a header being moved (its column id). */
const DRAG_TYPE = 'application/x-trove-column';
const GROUP_LABEL: Record<HeaderGroup, string> = {
  run: '',
  pad: '',
  metrics: 'Metrics',
  params: 'Parameters',
  tags: 'Tags',
};

/**
 * The runs of an experiment: TanStack Table for columns, sorting and selection (sorting is done by
 * the server: `manualSorting`), TanStack Virtual so only the rows *and columns* in view are in
 * the DOM (`use-column-window.ts`): 5,000 param/metric columns render like twenty.
 */
export function RunsTable(props: RunsTableProps) {
  const { experimentId, runs, sort, selected, hasMore, loadingMore, onLoadMore, arrangement, colors, actions } = props;
  const { fixedColumns, widths, onResize, onReorder } = props;
  const dataColumns = useMemo(() => dataColumnsOf(props.columns), [props.columns]);
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
  const columns = useMemo(
    () => buildColumns(experimentId, fixedColumns, dataColumns, runViewRef),
    [experimentId, fixedColumns, dataColumns],
  );
  // The width of the column being dragged, before it is committed to the URL on release.
  const [live, setLive] = useState<{ id: string; px: number } | null>(null);
  const columnSizing = useMemo(() => (live ? { ...widths, [live.id]: live.px } : { ...widths }), [widths, live]);
  const rowSelection = useMemo<RowSelectionState>(
    () => Object.fromEntries(selected.map((id) => [id, true])),
    [selected],
  );

  const table = useReactTable({
    data: runs,
    columns,
    getRowId: (r) => r.info.run_id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting: sort as SortingState, rowSelection, columnSizing },
    defaultColumn: { minSize: 40, maxSize: 1000 },
    onSortingChange: (updater) => props.onSort(typeof updater === 'function' ? updater(sort as SortingState) : updater),
    onRowSelectionChange: (updater) => {
      const next = typeof updater === 'function' ? updater(rowSelection) : updater;
      props.onSelect(Object.keys(next).filter((k) => next[k]));
    },
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowsById = table.getRowModel().rowsById;
  const virtualizer = useVirtualizer({
    count: display.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    // Fetch the next page while the user is still a screen or two away from the end.
    if (hasMore && !loadingMore && lastIndex >= display.length - 40) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, display.length, onLoadMore]);

  const leafColumns = table.getVisibleLeafColumns();
  const firstData = leafColumns.findIndex((c) => groupOf(c) !== 'run');
  const { slots, width } = useColumnWindow(scrollRef, leafColumns, firstData < 0 ? leafColumns.length : firstData);
  // Every row lays its cells out on these tracks, set on the header and the body and inherited by
  // their rows only (cells carry no widths, and a change restyles the rows, not every cell); read
  // every render, as a live resize changes a size.
  const gridColumns = slots.map((s) => `${slotWidth(s)}px`).join(' ');
  const groups = headerGroups(slots.map((s) => ({ id: s.id, group: s.kind === 'pad' ? 'pad' : groupOf(s.column) })));

  return (
    <div className="grid-scroll" ref={scrollRef} tabIndex={-1}>
      <table
        className="grid rows-positioned"
        style={{ width }}
        aria-label="Runs"
        aria-rowcount={display.length + (hasMore ? 1 : 0)}
        aria-colcount={leafColumns.length}
      >
        <thead style={{ gridTemplateColumns: gridColumns }}>
          <tr className="group">
            {groups.map((g, i) => (
              <th
                key={g.key}
                colSpan={g.span}
                scope="colgroup"
                className={i === 0 ? 'sticky' : undefined}
                style={g.span > 1 ? { gridColumn: `span ${g.span}` } : undefined}
              >
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
                  const title = meta?.title ?? h.column.id;
                  const movable = h.column.id !== 'select' && h.column.id !== 'attributes.run_name';
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      data-column-id={h.column.id}
                      draggable={movable}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_TYPE, h.column.id);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      onDragOver={(e) => {
                        if (movable && e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
                      }}
                      onDrop={(e) => {
                        const from = e.dataTransfer.getData(DRAG_TYPE);
                        if (movable && from && from !== h.column.id) {
                          e.preventDefault();
                          onReorder(from, h.column.id);
                        }
                      }}
                      className={meta?.className}
                      title={meta?.title}
                      aria-sort={
                        h.column.getCanSort()
                          ? sorted === 'asc'
                            ? 'ascending'
                            : sorted === 'desc'
                              ? 'descending'
                              : 'none'
                          : undefined
                      }
                    >
                      {h.column.getCanSort() ? (
                        <button
                          type="button"
                          className="sort"
                          onClick={h.column.getToggleSortingHandler()}
                          aria-label={`Sort by ${meta?.title ?? h.column.id}`}
                        >
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span className="sort-mark" aria-hidden="true">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                          </span>
                        </button>
                      ) : (
                        <span className="th-label">{flexRender(h.column.columnDef.header, h.getContext())}</span>
                      )}
                      {h.column.id === 'select' ? null : (
                        <ColumnResizer
                          title={title}
                          width={h.column.getSize()}
                          onLive={(px) => setLive(px === null ? null : { id: h.column.id, px })}
                          onCommit={(px) => onResize(h.column.id, px)}
                        />
                      )}
                    </th>
                  );
                })}
              </tr>
            );
          })}
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize(), gridTemplateColumns: gridColumns }}>
          {items.map((item) => {
            const shown = display[item.index];
            if (shown.kind === 'group') {
              return (
                <GroupHeaderRow
                  key={`group:${shown.key}`}
                  group={shown}
                  groupBy={arrangement.groupBy}
                  columns={slots.map((s) => s.id)}
                  top={item.start}
                  rowIndex={item.index + 1}
                  height={ROW_HEIGHT}
                  onToggle={() => actions.toggleGroup(shown.key)}
                />
              );
            }
            const row = rowsById[shown.run.info.run_id];
            const rowClass =
              [shown.pinned ? 'run-pinned' : '', shown.hidden ? 'run-hidden' : ''].join(' ').trim() || undefined;
            return (
              <RunRowView
                key={row.id}
                table={table}
                row={row}
                slots={slots}
                top={item.start}
                rowIndex={item.index + 1}
                selected={row.getIsSelected()}
                className={rowClass}
                shown={shown}
                color={colors[row.id]}
                actions={actions}
              />
            );
          })}
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

/** Runs of neighbouring slots in the same group, each keyed by its first slot. */
function headerGroups(
  slots: { id: string; group: HeaderGroup }[],
): { key: string; group: HeaderGroup; span: number }[] {
  const out: { key: string; group: HeaderGroup; span: number }[] = [];
  slots.forEach(({ id, group }, i) => {
    // The select column stays alone so the sticky first cell lines up with the body.
    if (i > 1 && out[out.length - 1].group === group) out[out.length - 1].span++;
    else out.push({ key: id, group, span: 1 });
  });
  return out;
}

function slotWidth(slot: ColumnSlot<Run>): number {
  return slot.kind === 'pad' ? slot.width : slot.column.getSize();
}
