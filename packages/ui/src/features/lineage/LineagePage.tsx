import type { Lineage } from '@trove/protocol';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useUrlState } from '../../app/router.tsx';
import { ErrorBox, Loading } from '../../components/status.tsx';
import { pathsBetween } from '../../lib/lineage-paths.ts';
import { LineageGraph } from './LineageGraph.tsx';
import { clampDepth, lineageSpec } from './lineage-state.ts';
import { NodePanel } from './NodePanel.tsx';
import { NODE_KINDS } from './node-kinds.ts';
import { useLineage } from './queries.ts';
import { useLineageLayout } from './use-lineage-layout.ts';
import './lineage.css';

/** `/lineage?node=…`: the graph around one node, laid out left → right along the flow of data. */
export default function LineagePage() {
  const [state, setState] = useUrlState(lineageSpec);
  const depth = clampDepth(state.depth);
  const query = useLineage(state.node, state.direction, depth);
  const { layout, layoutMs, error: layoutError } = useLineageLayout(query.data);
  const [renderMs, setRenderMs] = useState<number>();
  const layoutAt = useRef(0);
  if (layout && layoutAt.current === 0) layoutAt.current = performance.now();
  const rendered = useCallback(() => {
    setRenderMs(performance.now() - layoutAt.current);
    layoutAt.current = 0;
  }, []);

  const data = query.data;
  const byId = useMemo(() => new Map((data?.nodes ?? []).map((n) => [n.id, n])), [data]);
  const highlight = useMemo(
    () => (data && state.from && state.to ? pathsBetween(data.edges, state.from, state.to) : null),
    [data, state.from, state.to],
  );
  const selected = byId.get(state.sel);

  if (!state.node) return <NodeForm />;
  return (
    <section className="page lineage-page">
      <div className="page-header">
        <h1>Lineage</h1>
        <span className="muted mono">{state.node}</span>
      </div>
      <div className="lineage-controls">
        <label>
          Depth{' '}
          <select aria-label="Depth" value={depth} onChange={(e) => setState({ depth: Number(e.target.value) })}>
            {Array.from({ length: 10 }, (_, i) => i + 1).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Direction{' '}
          <select
            aria-label="Direction"
            value={state.direction}
            onChange={(e) => setState({ direction: e.target.value as typeof state.direction })}
          >
            <option value="both">up and down</option>
            <option value="up">upstream (where it came from)</option>
            <option value="down">downstream (where it went)</option>
          </select>
        </label>
        {data ? <PathPicker nodes={data.nodes} from={state.from} to={state.to} setState={setState} /> : null}
        {highlight && highlight.nodes.size === 0 ? <span className="muted">No path between them.</span> : null}
      </div>
      {query.isPending ? <Loading label="Loading lineage…" /> : null}
      {query.error ? <ErrorBox error={query.error} title="Could not load the lineage." /> : null}
      {layoutError ? <ErrorBox error={layoutError} title="Could not lay the graph out." /> : null}
      {data?.truncated ? (
        <p className="muted" data-testid="lineage-truncated">
          The graph was cut at {data.nodes.length} nodes: lower the depth or re-root on a node to see more.
        </p>
      ) : null}
      {data && layout ? (
        <div
          className="lineage-body"
          data-testid="lineage-ready"
          data-nodes={data.nodes.length}
          data-layout-ms={layoutMs?.toFixed(1)}
          data-render-ms={renderMs?.toFixed(1)}
        >
          <LineageGraph
            layout={layout}
            root={data.root}
            selected={state.sel}
            highlight={highlight}
            onSelect={(id) => setState({ sel: id }, { replace: true })}
            onReroot={(id) => setState({ node: id, sel: id, from: '', to: '' })}
            onRendered={rendered}
          />
          {selected ? (
            <NodePanel
              node={selected}
              onReroot={() => setState({ node: selected.id, from: '', to: '' })}
              onPathFrom={() => setState({ from: selected.id })}
              onPathTo={() => setState({ to: selected.id })}
              onClose={() => setState({ sel: '' }, { replace: true })}
            />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

const FIRST_FROM: Lineage.LineageNodeType[] = ['dataset', 'run'];
const FIRST_TO: Lineage.LineageNodeType[] = ['deployment', 'alias', 'stage', 'model_version'];

function ordered(nodes: Lineage.LineageNode[], first: Lineage.LineageNodeType[]) {
  const rank = (n: Lineage.LineageNode) => {
    const i = first.indexOf(n.type);
    return i < 0 ? first.length : i;
  };
  return [...nodes].sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}

/** "Highlight path": two ends (datasets first on one side, deployments on the other). */
function PathPicker({
  nodes,
  from,
  to,
  setState,
}: {
  nodes: Lineage.LineageNode[];
  from: string;
  to: string;
  setState: (p: { from?: string; to?: string }) => void;
}) {
  const option = (n: Lineage.LineageNode) => (
    <option key={n.id} value={n.id}>
      {NODE_KINDS[n.type].name}: {n.label}
    </option>
  );
  return (
    <fieldset className="lineage-path">
      <legend>Highlight path</legend>
      <select aria-label="Path from" value={from} onChange={(e) => setState({ from: e.target.value })}>
        <option value="">from…</option>
        {ordered(nodes, FIRST_FROM).map(option)}
      </select>
      <select aria-label="Path to" value={to} onChange={(e) => setState({ to: e.target.value })}>
        <option value="">to…</option>
        {ordered(nodes, FIRST_TO).map(option)}
      </select>
      {from || to ? (
        <button type="button" onClick={() => setState({ from: '', to: '' })}>
          Clear
        </button>
      ) : null}
    </fieldset>
  );
}

/** Without `?node=`: where to start. */
function NodeForm() {
  const [text, setText] = useState('');
  const [, setState] = useUrlState(lineageSpec);
  return (
    <section className="page">
      <h1>Lineage</h1>
      <p>
        Open it from a run or model version page (the "Lineage" links), or enter a node id such as{' '}
        <code>run:&lt;run id&gt;</code> or <code>model_version:&lt;model&gt;/&lt;version&gt;</code>.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) setState({ node: text.trim() });
        }}
      >
        <input aria-label="Node id" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Show</button>
      </form>
      <p>
        <Link to="/models">Registered models</Link>
      </p>
    </section>
  );
}
