import { useMemo, useState } from 'react';
import type { KeyValue } from '../../api/types.ts';
import { Empty } from '../../components/status.tsx';
import { buildTree, countValues, filterTree, flattenTree } from '../../lib/param-tree.ts';

/** Params as a tree of their `/`-separated keys, narrowed to `query` (key or value); folders collapse. */
export function ParamTreeTable({ params, query }: { params: readonly KeyValue[]; query: string }) {
  const tree = useMemo(() => buildTree(params), [params]);
  const visible = useMemo(() => filterTree(tree, query), [tree, query]);
  // Folders start open; the user's collapses are remembered for this view.
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const rows = flattenTree(visible, (path) => query.trim() !== '' || !collapsed.has(path));
  const toggle = (path: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  if (rows.length === 0)
    return <Empty>{params.length === 0 ? 'No parameters logged.' : 'No parameter matches.'}</Empty>;
  return (
    <table className="data wrap-cells" aria-label="Parameters">
      <thead>
        <tr>
          <th scope="col" className="key-col">
            Key
          </th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ node, depth, hasChildren, expanded }) => (
          <tr key={node.path} data-key={node.path}>
            <th scope="row" style={{ fontWeight: 400 }}>
              <span className="tree-row" style={{ paddingLeft: depth * 18 }}>
                {hasChildren ? (
                  <button
                    type="button"
                    className="tree-toggle"
                    aria-expanded={expanded}
                    aria-label={`${expanded ? 'Collapse' : 'Expand'} ${node.path}`}
                    onClick={() => toggle(node.path)}
                  >
                    {expanded ? '▾' : '▸'}
                  </button>
                ) : (
                  <span className="tree-leaf-pad" />
                )}
                <span className="mono">{node.name}</span>
                {hasChildren ? <span className="muted">({countValues(node)})</span> : null}
              </span>
            </th>
            <td className="mono">{node.value ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
