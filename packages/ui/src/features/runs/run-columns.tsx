import type { Column, ColumnDef } from '@tanstack/react-table';
import type { Run } from '../../api/types.ts';
import { Link } from '../../app/router.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatDuration, formatNumber, formatTime, runDuration } from '../../lib/format.ts';
import { RunTagChips } from '../tags/TagChip.tsx';
import { RunTools, type RunToolsActions } from './RunTools.tsx';
import type { RunRow } from './run-rows.ts';
import { cellValue, type DataGroup, lookup, runName } from './run-values.ts';

/** What the per-run cells need beyond the run: its place in the arrangement, its colour, the row actions. */
export interface RunView {
  rowsOf: ReadonlyMap<string, RunRow>;
  colors: Readonly<Record<string, string>>;
  actions: RunToolsActions;
}

export interface ColumnMeta {
  group: DataGroup | 'run';
  className?: string;
  title?: string;
}

export const groupOf = (c: Column<Run, unknown>): DataGroup | 'run' =>
  (c.columnDef.meta as ColumnMeta | undefined)?.group ?? 'run';

/** The user a run belongs to: `user_id`, else the `mlflow.user` tag (MLflow's Python client sets only the tag). */
export const runUser = (r: Run): string => r.info.user_id || lookup(r).tags.get('mlflow.user') || '';

/**
 * The runs table's columns: the checkbox and the run name, the run columns `fixed` names (in its
 * order), then one per param/metric/tag key of `data`. Cells read the arrangement through `viewRef`.
 */
export function buildColumns(
  experimentId: string,
  fixed: readonly string[],
  data: { group: DataGroup; key: string; id: string }[],
  viewRef: { readonly current: RunView },
): ColumnDef<Run>[] {
  const runMeta = (title: string, className?: string): ColumnMeta => ({ group: 'run', title, className });
  const leading: ColumnDef<Run>[] = [
    {
      id: 'select',
      size: 36,
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
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select run ${runName(row.original)}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    },
    {
      id: 'attributes.run_name',
      // TanStack sorts only columns with an accessor; the server does the sorting (manualSorting).
      accessorFn: (r) => runName(r),
      size: 170,
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
            <Link
              to={`/experiments/${encodeURIComponent(experimentId)}/runs/${row.original.info.run_id}`}
              title={row.original.info.run_id}
            >
              {name}
            </Link>
            {shown && shown.childCount > 0 ? <span className="muted"> ({shown.childCount})</span> : null}
          </>
        );
      },
    },
  ];
  const runColumns: ColumnDef<Run>[] = [
    {
      id: 'run-tools',
      size: 84,
      enableSorting: false,
      header: () => <span className="visually-hidden">Pin, hide, colour</span>,
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
      size: 92,
      header: 'Status',
      meta: runMeta('Status'),
      cell: ({ row }) => <StatusBadge status={row.original.info.status} />,
    },
    {
      id: 'attributes.start_time',
      accessorFn: (r) => Number(r.info.start_time),
      sortDescFirst: true,
      size: 160,
      header: 'Started',
      meta: runMeta('Started'),
      cell: ({ row }) => formatTime(row.original.info.start_time),
    },
    {
      id: 'duration',
      size: 86,
      header: 'Duration',
      enableSorting: false,
      meta: runMeta('Duration', 'num'),
      cell: ({ row }) =>
        formatDuration(
          runDuration(Number(row.original.info.start_time), Number(row.original.info.end_time) || undefined),
        ),
    },
    {
      id: 'attributes.user_id',
      accessorFn: runUser,
      size: 84,
      header: 'User',
      meta: runMeta('User'),
      cell: ({ row }) => runUser(row.original),
    },
    {
      id: 'tag-chips',
      size: 200,
      header: 'All tags',
      enableSorting: false,
      meta: runMeta('All tags', 'tag-chips'),
      cell: ({ row }) => <RunTagChips tags={row.original.data.tags} />,
    },
  ];
  const byId = new Map(runColumns.map((c) => [c.id, c]));
  const columns = [...leading, ...fixed.flatMap((id) => byId.get(id) ?? [])];
  for (const c of data) {
    columns.push({
      id: c.id,
      accessorFn: (r) => cellValue(r, c.group, c.key),
      size: 120,
      header: c.key,
      meta: {
        group: c.group,
        title: `${c.group}.${c.key}`,
        className: c.group === 'metrics' ? 'num' : undefined,
      } satisfies ColumnMeta,
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
