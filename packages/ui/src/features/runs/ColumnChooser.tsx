import { useId, useMemo, useState } from 'react';
import { MenuDetails } from '../../components/MenuDetails.tsx';
import { buildTree, filterTree, flattenTree, type TreeNode, type TreeRow } from '../../lib/param-tree.ts';
import { ColumnOrder } from './ColumnOrder.tsx';
import { ALL_COLUMNS, isSystemMetric } from './column-choice.ts';
import { FIXED_COLUMNS, FIXED_TITLES } from './column-layout.ts';
import { type DataGroup, GROUPS } from './run-values.ts';

const MAX_LISTED = 300;

/** The chooser's sections: system metrics (`system/*`) apart from the others, their folder closed. */
interface Section {
  title: string;
  group: DataGroup;
  keys: (keys: Record<DataGroup, string[]>) => string[];
}
const SECTIONS: Section[] = [
  { title: 'Metrics', group: 'metrics', keys: (k) => k.metrics.filter((m) => !isSystemMetric(m)) },
  { title: 'System metrics', group: 'metrics', keys: (k) => k.metrics.filter(isSystemMetric) },
  { title: 'Parameters', group: 'params', keys: (k) => k.params },
  { title: 'Tags', group: 'tags', keys: (k) => k.tags },
];

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
  fixed,
  onFixed,
}: {
  keys: Record<DataGroup, string[]>;
  chosen: string[];
  onChange: (ids: string[]) => void;
  /** The run columns shown after the run name, in order; left out, the chooser offers data columns only. */
  fixed?: string[];
  onFixed?: (ids: string[]) => void;
}) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const id = useId();
  const set = useMemo(() => new Set(chosen), [chosen]);
  const trees = useMemo(
    () => SECTIONS.map((section) => buildTree(section.keys(keys).map((key) => ({ key, value: '' })))),
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
    <MenuDetails
      summary={`Columns (${chosen.length + (fixed?.length ?? 0)})`}
      summaryLabel={`Columns (${chosen.length + (fixed?.length ?? 0)} shown)`}
    >
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
        {fixed && onFixed ? <RunColumns id={id} fixed={fixed} onFixed={onFixed} /> : null}
        <ColumnOrder fixed={fixed ?? []} onFixed={onFixed ?? (() => {})} chosen={chosen} onChosen={onChange} />
        {SECTIONS.map((section, i) => {
          const group = section.group;
          const nodes = filterTree(trees[i], query);
          if (nodes.length === 0) return null;
          // While filtering every matching folder is open; otherwise only those the user opened.
          const rows = flattenTree(nodes, (path) => query.trim() !== '' || open.has(`${group}.${path}`));
          return (
            <fieldset key={section.title}>
              <legend>{section.title}</legend>
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
    </MenuDetails>
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

/** Checkboxes for the run columns (Status, Started, …) after the run name. */
function RunColumns({ id, fixed, onFixed }: { id: string; fixed: string[]; onFixed: (ids: string[]) => void }) {
  return (
    <fieldset>
      <legend>Run columns</legend>
      {FIXED_COLUMNS.map((c) => (
        // Named "Show the Status column", not "Status": the toolbar's status filter is "Status".
        <div key={c} className="check tree-row">
          <input
            id={`${id}-${c}`}
            type="checkbox"
            aria-label={`Show the ${FIXED_TITLES[c]} column`}
            checked={fixed.includes(c)}
            onChange={(e) => onFixed(e.target.checked ? [...fixed, c] : fixed.filter((x) => x !== c))}
          />
          <span>{FIXED_TITLES[c]}</span>
        </div>
      ))}
    </fieldset>
  );
}
