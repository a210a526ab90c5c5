import type { Lineage } from '@trove/protocol';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import ELK from 'elkjs/lib/elk-api.js';
// ELK's worker build is a classic script: Vite emits it as an asset and elk-api starts it as a Web Worker,
// so a layout of hundreds of nodes never blocks the page.
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { Box } from '../../lib/lineage-viewport.ts';

export interface PlacedNode extends Box {
  node: Lineage.LineageNode;
}

export interface PlacedEdge {
  edge: Lineage.LineageEdge;
  /** Polyline points, start to end. */
  points: { x: number; y: number }[];
  bounds: Box;
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  bounds: Box;
}

export const NODE_HEIGHT = 46;

/** Box width from the label: wide enough for most labels, truncated beyond. */
export const nodeWidth = (n: Lineage.LineageNode) => Math.min(240, Math.max(130, 7 * n.label.length + 44));

let elk: InstanceType<typeof ELK> | undefined;

/** Starts ELK's worker (1.6 MB of script to load and compile) while the page still waits for the graph. */
export function warmLayout(): void {
  elk ??= new ELK({ workerUrl });
}

/** Layered left → right layout of the graph (edges follow the flow of data). */
export async function layoutLineage(graph: Pick<Lineage.LineageResponse, 'nodes' | 'edges'>): Promise<LineageLayout> {
  warmLayout();
  const elkInstance = elk as InstanceType<typeof ELK>;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  // ELK's default thoroughness is fine for a small graph; for hundreds of nodes it dominated the
  // layout time (seconds) for no visible gain, so big graphs get one pass and no greedy switch.
  const big = graph.nodes.length > 150;
  const root: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.layered.thoroughness': big ? '1' : '7',
      'elk.layered.crossingMinimization.greedySwitch.type': big ? 'OFF' : 'TWO_SIDED',
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.nodeNode': '18',
      // Disconnected pieces side by side rather than one long column.
      'elk.separateConnectedComponents': 'true',
    },
    children: graph.nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const out = await elkInstance.layout(root);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = (out.children ?? []).map((c) => ({
    node: byId.get(c.id) as Lineage.LineageNode,
    x: c.x ?? 0,
    y: c.y ?? 0,
    width: c.width ?? 0,
    height: c.height ?? 0,
  }));
  const placedEdges: PlacedEdge[] = (out.edges ?? []).map((e, i) => {
    const s = (e as { sections?: { startPoint: Pt; endPoint: Pt; bendPoints?: Pt[] }[] }).sections?.[0];
    const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [];
    return { edge: edges[Number(e.id.slice(1))] ?? edges[i], points, bounds: boxOf(points) };
  });
  return {
    nodes,
    edges: placedEdges,
    bounds: { x: 0, y: 0, width: out.width ?? 0, height: out.height ?? 0 },
  };
}

type Pt = { x: number; y: number };

function boxOf(points: Pt[]): Box {
  if (points.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}
