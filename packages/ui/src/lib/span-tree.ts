/**
 * The trace page's span tree and waterfall layout, computed once per trace (pure): parents and
 * children by index, depth, and each span's start offset and duration in ms from the trace's
 * first start. Showing rows is then one walk over the tree that skips folded subtrees, so a
 * 10k-span trace never lays out more than once, and a fold costs O(visible rows).
 */

export interface SpanLike {
  span_id: string;
  parent_span_id: string | null;
  start_ns: string | null;
  end_ns: string | null;
}

export interface SpanNode {
  /** Index of the span in the list given. */
  index: number;
  parent: number;
  children: number[];
  depth: number;
  startMs: number;
  durationMs: number;
}

export interface SpanTree {
  nodes: SpanNode[];
  /** Spans without a known parent (orphans too), in start order. */
  roots: number[];
  /** From the first start to the last end, ms (at least a tiny positive span, so widths divide). */
  totalMs: number;
}

/** ns since the epoch as [seconds, ns within the second]: exact, and cheaper than BigInt for 10k spans. */
function split(ns: string | null): [number, number] | null {
  if (ns === null || !/^\d+$/.test(ns)) return null;
  return ns.length <= 9 ? [0, Number(ns)] : [Number(ns.slice(0, -9)), Number(ns.slice(-9))];
}

const msBetween = (a: [number, number], b: [number, number]) => (b[0] - a[0]) * 1000 + (b[1] - a[1]) / 1e6;

/** `spans` in start order (the server's): children then come in start order too. */
export function buildSpanTree(spans: readonly SpanLike[]): SpanTree {
  const starts = spans.map((s) => split(s.start_ns));
  const ends = spans.map((s) => split(s.end_ns));
  let origin: [number, number] = [0, 0];
  let found = false;
  for (const s of starts)
    if (s !== null && (!found || s[0] < origin[0] || (s[0] === origin[0] && s[1] < origin[1]))) {
      origin = s;
      found = true;
    }
  const byId = new Map<string, number>();
  spans.forEach((s, i) => {
    byId.set(s.span_id, i);
  });
  const nodes: SpanNode[] = spans.map((s, i) => {
    const start = starts[i];
    const end = ends[i];
    const startMs = start === null ? 0 : msBetween(origin, start);
    const durationMs = start === null || end === null ? 0 : Math.max(0, msBetween(start, end));
    const parent = s.parent_span_id === null ? -1 : (byId.get(s.parent_span_id) ?? -1);
    return { index: i, parent: parent === i ? -1 : parent, children: [], depth: 0, startMs, durationMs };
  });
  const roots: number[] = [];
  for (const n of nodes) {
    if (n.parent < 0) roots.push(n.index);
    else nodes[n.parent].children.push(n.index);
  }
  // Depths by an explicit walk (a 10k-deep chain would overflow recursion); spans caught in a
  // parent cycle are never reached from a root and become roots themselves.
  const seen = new Uint8Array(nodes.length);
  const walk = (from: number) => {
    const stack = [from];
    seen[from] = 1;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      for (const c of nodes[i].children) {
        if (seen[c]) continue;
        seen[c] = 1;
        nodes[c].depth = nodes[i].depth + 1;
        stack.push(c);
      }
    }
  };
  for (const r of roots) walk(r);
  for (const n of nodes) {
    if (seen[n.index]) continue;
    if (n.parent >= 0) nodes[n.parent].children = nodes[n.parent].children.filter((c) => c !== n.index);
    n.parent = -1;
    n.depth = 0;
    roots.push(n.index);
    walk(n.index);
  }
  let totalMs = 0;
  for (const n of nodes) totalMs = Math.max(totalMs, n.startMs + n.durationMs);
  return { nodes, roots, totalMs: totalMs > 0 ? totalMs : 1e-6 };
}

/** The rows shown, depth-first in start order, leaving out the descendants of folded spans (by span index). */
export function visibleRows(tree: SpanTree, folded: ReadonlySet<number>): number[] {
  const out: number[] = [];
  const stack: number[] = [];
  for (let r = tree.roots.length - 1; r >= 0; r--) stack.push(tree.roots[r]);
  while (stack.length > 0) {
    const i = stack.pop() as number;
    out.push(i);
    if (folded.has(i)) continue;
    const { children } = tree.nodes[i];
    for (let c = children.length - 1; c >= 0; c--) stack.push(children[c]);
  }
  return out;
}

/** The ancestors of a span, nearest first (to unfold the path to a selected span). */
export function ancestorsOf(tree: SpanTree, index: number): number[] {
  const out: number[] = [];
  for (let p = tree.nodes[index]?.parent ?? -1; p >= 0 && out.length < tree.nodes.length; p = tree.nodes[p].parent)
    out.push(p);
  return out;
}

/** A waterfall bar as fractions of the trace's length; a zero-length span still shows a sliver. */
export function barOf(tree: SpanTree, node: SpanNode): { left: number; width: number } {
  const left = Math.min(1, node.startMs / tree.totalMs);
  const width = Math.max(0.002, Math.min(1 - left, node.durationMs / tree.totalMs));
  return { left, width };
}
