/**
 * Keys are paths (`optimizer/adam/beta1`): the run page shows params as a tree. Pure.
 */

export interface TreeNode {
  /** The last path segment. */
  name: string;
  /** The full key of this node (`optimizer/adam`). */
  path: string;
  /** Set when a key ends here (a node can be both a leaf value and a folder). */
  value?: string;
  children: TreeNode[];
}

/** A tree of `/`-separated keys, children sorted by name; empty segments are kept as written. */
export function buildTree(entries: readonly { key: string; value: string }[]): TreeNode[] {
  const root: TreeNode = { name: '', path: '', children: [] };
  const index = new Map<string, TreeNode>([['', root]]);
  for (const { key, value } of entries) {
    const segments = key.split('/');
    let parent = root;
    for (let i = 0; i < segments.length; i++) {
      const path = segments.slice(0, i + 1).join('/');
      let node = index.get(path);
      if (!node) {
        node = { name: segments[i], path, children: [] };
        index.set(path, node);
        parent.children.push(node);
      }
      if (i === segments.length - 1) node.value = value;
      parent = node;
    }
  }
  sortTree(root.children);
  return root.children;
}

function sortTree(nodes: TreeNode[]): void {
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const n of nodes) sortTree(n.children);
}

/**
 * The nodes matching `query` (case-insensitive, in the full key or the value) with their
 * ancestors; a matching folder keeps all its descendants.
 */
export function filterTree(nodes: readonly TreeNode[], query: string): TreeNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return nodes as TreeNode[];
  const out: TreeNode[] = [];
  for (const node of nodes) {
    if (node.path.toLowerCase().includes(q) || (node.value ?? '').toLowerCase().includes(q)) {
      out.push(node);
      continue;
    }
    const children = filterTree(node.children, q);
    if (children.length > 0) out.push({ ...node, children });
  }
  return out;
}

export interface TreeRow {
  node: TreeNode;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
}

/** Depth-first rows for rendering; a folder's children appear only when it is expanded. */
export function flattenTree(
  nodes: readonly TreeNode[],
  isExpanded: (path: string) => boolean,
  depth = 0,
  out: TreeRow[] = [],
): TreeRow[] {
  for (const node of nodes) {
    const hasChildren = node.children.length > 0;
    const expanded = hasChildren && isExpanded(node.path);
    out.push({ node, depth, hasChildren, expanded });
    if (expanded) flattenTree(node.children, isExpanded, depth + 1, out);
  }
  return out;
}

/** Number of keys (leaves with values) under a node, itself included. */
export function countValues(node: TreeNode): number {
  return (node.value !== undefined ? 1 : 0) + node.children.reduce((n, c) => n + countValues(c), 0);
}
