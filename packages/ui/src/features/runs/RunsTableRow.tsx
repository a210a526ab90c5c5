import { type CellContext, type Column, flexRender, type Row, type Table } from '@tanstack/react-table';
import { memo } from 'react';
import type { Run } from '../../api/types.ts';
import { highlightRun, useIsRunHighlighted } from '../../lib/run-highlight.ts';
import type { RunToolsActions } from './RunTools.tsx';
import type { ColumnMeta } from './run-columns.tsx';
import type { RunRow } from './run-rows.ts';
import type { ColumnSlot } from './use-column-window.ts';

/** Height of every runs-table row, which the row virtualizer counts on. */
export const ROW_HEIGHT = 35;

interface RunRowViewProps {
  table: Table<Run>;
  row: Row<Run>;
  slots: ColumnSlot<Run>[];
  /** Offset of the row from the top of the body: rows are positioned, not flowed. */
  top: number;
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
    a.top === b.top &&
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
export const RunRowView = memo(function RunRowView({
  table,
  row,
  slots,
  top,
  rowIndex,
  selected,
  className,
  shown,
  color,
  actions,
}: RunRowViewProps) {
  // Everything besides the run that a cell may show: cells re-render only when it changes.
  const state = `${selected}|${color}|${shown.depth}|${shown.childCount}|${shown.expanded}|${shown.pinned}|${shown.hidden}`;
  // The run's line is highlighted in every chart while its row is hovered, and the other way round.
  const highlighted = useIsRunHighlighted(row.id);
  return (
    <tr
      className={highlighted ? `${className ?? ''} run-highlighted` : className}
      onMouseEnter={() => highlightRun(row.id)}
      onMouseLeave={() => highlightRun(null)}
      aria-selected={selected}
      aria-rowindex={rowIndex}
      style={{ height: ROW_HEIGHT, top }}
      data-run-id={row.id}
    >
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
    return (
      <td className={(column.columnDef.meta as ColumnMeta | undefined)?.className}>
        {flexRender(column.columnDef.cell, cellContext(table, row, column))}
      </td>
    );
  },
  (a, b) =>
    a.row.original === b.row.original &&
    a.column === b.column &&
    a.table === b.table &&
    a.state === b.state &&
    a.actions === b.actions,
);

/**
 * The renderers here read only `row` and `table`: a light context per rendered cell spares
 * TanStack building every cell of every row (`row.getVisibleCells()`), thousands per row.
 */
function cellContext(table: Table<Run>, row: Row<Run>, column: Column<Run, unknown>): CellContext<Run, unknown> {
  return {
    table,
    row,
    column,
    cell: undefined as never,
    getValue: () => row.getValue(column.id),
    renderValue: () => row.renderValue(column.id),
  } as CellContext<Run, unknown>;
}
