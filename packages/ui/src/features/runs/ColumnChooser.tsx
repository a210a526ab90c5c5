import { useId, useMemo, useState } from 'react';
import { buildTree, filterTree, flattenTree, type TreeNode, type TreeRow } from '../../lib/param-tree.ts';
import { ALL_COLUMNS } from './column-choice.ts';
import { type DataGroup, GROUPS } from './run-values.ts';

const TITLES: Record<DataGroup, string> = { metrics: 'Metrics', params: 'Parameters', tags: 'Tags' };
const MAX_LISTED = 300;

/** Every key at or under a tree node. */
function keysUnder(node: TreeNode, out: string[] = []): string[] {
  if (node.value !== undefined) out.push(node.path);
  for (const c of node.children) keysUnder(c, out);
  return out;
}

/**
 * Which metric/param/tag columns the runs table shows; the choice lives in the URL (`col=`).
 * Keys are paths (`optimizer/adam/beta1`), so each group is a tree: a folder's checkbox shows or
 * hides every key under it, and typing a filter opens the folders that match.
 */
export function ColumnChooser({
  keys,
  chosen,
  onChange,
}: {
  keys: Record<DataGroup, string[]>;
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const id = useId();
  const set = useMemo(() => new Set(chosen), [chosen]);
  const trees = useMemo(
    () =>
      Object.fromEntries(GROUPS.map((g) => [g, buildTree(keys[g].map((key) => ({ key, value: '' })))])) as Record<
        DataGroup,
        TreeNode[]
      >,
    [keys],
  );
  const total = GROUPS.reduce((n, g) => n + keys[g].length, 0);

  const setMany = (ids: string[], on: boolean) => {
    if (on) onChange([...chosen, ...ids.filter((c) => !set.has(c))]);
    else {
      const drop = new Set(ids);
      onChange(chosen.filter((c) => !drop.has(c)));
    }
  };
  const toggleOpen = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <details className="columns-menu">
      <summary className="button" aria-label={`Columns (${chosen.length} shown)`}>
        Columns ({chosen.length})
      </summary>
      <div className="columns-panel">
        <div className="field">
          <label htmlFor={id}>Find a column</label>
          <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </div>
        <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
          <button type="button" onClick={() => onChange([ALL_COLUMNS])} disabled={chosen.length === total}>
            Show all ({total})
          </button>
          <button type="button" onClick={() => onChange([])}>
            Hide all
          </button>
        </div>
        {GROUPS.map((group) => {
          const nodes = filterTree(trees[group], query);
          if (nodes.length === 0) return null;
          // While filtering every matching folder is open; otherwise only those the user opened.
          const rows = flattenTree(nodes, (path) => query.trim() !== '' || open.has(`${group}.${path}`));
          return (
            <fieldset key={group}>
              <legend>{TITLES[group]}</legend>
              {rows.slice(0, MAX_LISTED).map((row) => (
                <TreeOption
                  key={row.node.path}
                  group={group}
                  row={row}
                  chosen={set}
                  onSet={setMany}
                  onToggleOpen={toggleOpen}
                />
              ))}
              {rows.length > MAX_LISTED ? (
                <p className="muted">{rows.length - MAX_LISTED} more: type to narrow.</p>
              ) : null}
            </fieldset>
          );
        })}
      </div>
    </details>
  );
}

function TreeOption({
  group,
  row,
  chosen,
  onSet,
  onToggleOpen,
}: {
  group: DataGroup;
  row: TreeRow;
  chosen: ReadonlySet<string>;
  onSet: (ids: string[], on: boolean) => void;
  onToggleOpen: (key: string) => void;
}) {
  const ids = row.hasChildren ? keysUnder(row.node).map((k) => `${group}.${k}`) : [`${group}.${row.node.path}`];
  const shown = ids.filter((c) => chosen.has(c)).length;
  return (
    <div className="tree-row" style={{ paddingLeft: row.depth * 16 }}>
      {row.hasChildren ? (
        <button
          type="button"
          className="tree-toggle"
          aria-expanded={row.expanded}
          aria-label={`${row.expanded ? 'Collapse' : 'Expand'} ${row.node.path}`}
          onClick={() => onToggleOpen(`${group}.${row.node.path}`)}
        >
          {row.expanded ? '▾' : '▸'}
        </button>
      ) : (
        <span className="tree-leaf-pad" />
      )}
      <label className="check" title={row.hasChildren ? `${ids.length} keys under ${row.node.path}/` : row.node.path}>
        <input
          type="checkbox"
          checked={shown === ids.length}
          ref={(el) => {
            if (el) el.indeterminate = shown > 0 && shown < ids.length;
          }}
          onChange={(e) => onSet(ids, e.target.checked)}
        />
        <span className="mono">{row.hasChildren ? `${row.node.name}/` : row.node.name}</span>
        {row.hasChildren ? <span className="muted"> ({ids.length})</span> : null}
      </label>
    </div>
  );
}
