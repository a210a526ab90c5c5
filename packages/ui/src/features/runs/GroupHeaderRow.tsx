import { formatNumber } from '../../lib/format.ts';
import type { GroupRow } from './run-rows.ts';

/**
 * A group's header row: a fold toggle with the group value and size across the run columns,
 * then mean (and min–max) under each metric column.
 */
export function GroupHeaderRow({
  group,
  groupBy,
  columns,
  top,
  rowIndex,
  height,
  onToggle,
}: {
  group: GroupRow;
  groupBy: string;
  columns: string[];
  top: number;
  rowIndex: number;
  height: number;
  onToggle: () => void;
}) {
  const firstData = columns.findIndex(
    (c) => c.startsWith('metrics.') || c.startsWith('params.') || c.startsWith('tags.'),
  );
  const span = firstData < 0 ? columns.length : firstData;
  const label = `${groupBy.slice(groupBy.indexOf('.') + 1)} = ${group.label}`;
  return (
    <tr className="group-row" aria-rowindex={rowIndex} style={{ height, top }} data-group={group.key}>
      <td colSpan={span} className="sticky" style={{ gridColumn: `span ${span}` }}>
        <button type="button" className="group-toggle" aria-expanded={!group.collapsed} onClick={onToggle}>
          {group.collapsed ? '▸' : '▾'} {label}
        </button>
        <span className="muted"> · {group.count === 1 ? '1 run' : `${group.count} runs`}</span>
      </td>
      {columns.slice(span).map((c) => {
        const stats = group.stats[c];
        if (!stats) return <td key={c} />;
        return (
          <td
            key={c}
            className="num"
            title={`mean ${stats.mean} · min ${stats.min} · max ${stats.max} (${stats.count} runs)`}
            data-stat={c}
          >
            <span className="visually-hidden">mean </span>
            {formatNumber(stats.mean)}
            <span className="stat-range">
              ({formatNumber(stats.min)} – {formatNumber(stats.max)})
            </span>
          </td>
        );
      })}
    </tr>
  );
}
