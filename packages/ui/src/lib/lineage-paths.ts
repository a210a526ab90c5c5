/** Paths through a lineage graph: what "Highlight path" marks. Pure, unit-tested. */

export interface DirectedEdge {
  from: string;
  to: string;
}

export const edgeKey = (e: DirectedEdge) => `${e.from}\u0000${e.to}`;

function reach(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const n of next.get(stack.pop() as string) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}

function directed(edges: readonly DirectedEdge[], a: string, b: string) {
  const out = new Map<string, string[]>();
  const back = new Map<string, string[]>();
  for (const e of edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    back.set(e.to, [...(back.get(e.to) ?? []), e.from]);
  }
  const fromA = reach(a, out);
  if (!fromA.has(b)) return undefined;
  const toB = reach(b, back);
  const nodes = new Set([...fromA].filter((n) => toB.has(n)));
  const onPath = new Set(edges.filter((e) => nodes.has(e.from) && nodes.has(e.to)).map(edgeKey));
  return { nodes, edges: onPath };
}

/**
 * Every node and edge on some directed path between `a` and `b`, along the edges (a → b) or, when
 * b comes first in the flow, against them; empty when neither reaches the other.
 */
export function pathsBetween(
  edges: readonly DirectedEdge[],
  a: string,
  b: string,
): { nodes: Set<string>; edges: Set<string> } {
  if (a === b) return { nodes: new Set([a]), edges: new Set() };
  return directed(edges, a, b) ?? directed(edges, b, a) ?? { nodes: new Set(), edges: new Set() };
}
