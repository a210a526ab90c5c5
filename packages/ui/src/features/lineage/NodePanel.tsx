import type { Lineage } from '@trove/protocol';
import { Link } from '../../app/router.tsx';
import { formatTime } from '../../lib/format.ts';
import { hrefLabel, NODE_KINDS, nodeHref } from './node-kinds.ts';

const show = (key: string, v: string | number | null) =>
  v === null ? '—' : /time$/.test(key) && typeof v === 'number' ? formatTime(v) : String(v);

/** The selected node: its attributes, a link to its page, and what to do from it. */
export function NodePanel({
  node,
  onReroot,
  onPathFrom,
  onPathTo,
  onClose,
}: {
  node: Lineage.LineageNode;
  onReroot(): void;
  onPathFrom(): void;
  onPathTo(): void;
  onClose(): void;
}) {
  const href = nodeHref(node);
  return (
    <aside className="lineage-panel" aria-label="Selected node" data-node-id={node.id}>
      <div className="lineage-panel-head">
        <strong>{NODE_KINDS[node.type].name}</strong>
        <button type="button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <h2>{node.label}</h2>
      <p className="mono muted">{node.id}</p>
      {href ? (
        <p>
          <Link to={href} data-testid="node-page-link">
            {hrefLabel(node)}
          </Link>
        </p>
      ) : null}
      <table className="kv">
        <tbody>
          {Object.entries(node.attributes).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td className="mono">{show(k, v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="lineage-panel-actions">
        <button type="button" onClick={onReroot}>
          Re-root here
        </button>
        <button type="button" onClick={onPathFrom}>
          Path from here
        </button>
        <button type="button" onClick={onPathTo}>
          Path to here
        </button>
      </div>
    </aside>
  );
}
