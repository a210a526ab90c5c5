import { describe, expect, it } from 'vitest';
import { buildTree, countValues, filterTree, flattenTree } from '../src/lib/param-tree.ts';

const params = [
  { key: 'optimizer/adam/beta1', value: '0.9' },
  { key: 'optimizer/adam/beta2', value: '0.999' },
  { key: 'optimizer/name', value: 'adam' },
  { key: 'lr', value: '0.01' },
  { key: 'model', value: 'resnet' },
  { key: 'model/depth', value: '18' },
];

describe('param tree', () => {
  it('nests keys by path, sorted, keeping a value on a node that is also a folder', () => {
    const tree = buildTree(params);
    expect(tree.map((n) => n.name)).toEqual(['lr', 'model', 'optimizer']);
    const model = tree[1];
    expect(model.value).toBe('resnet');
    expect(model.children.map((c) => c.path)).toEqual(['model/depth']);
    const optimizer = tree[2];
    expect(optimizer.value).toBeUndefined();
    expect(optimizer.children.map((c) => c.name)).toEqual(['adam', 'name']);
    expect(countValues(optimizer)).toBe(3);
  });

  it('flattens depth-first, showing children of expanded folders only', () => {
    const tree = buildTree(params);
    const all = flattenTree(tree, () => true);
    expect(all.map((r) => `${r.depth}:${r.node.path}`)).toEqual([
      '0:lr',
      '0:model',
      '1:model/depth',
      '0:optimizer',
      '1:optimizer/adam',
      '2:optimizer/adam/beta1',
      '2:optimizer/adam/beta2',
      '1:optimizer/name',
    ]);
    const collapsed = flattenTree(tree, (p) => p !== 'optimizer');
    expect(collapsed.map((r) => r.node.path)).toEqual(['lr', 'model', 'model/depth', 'optimizer']);
    expect(collapsed[3]).toMatchObject({ hasChildren: true, expanded: false });
  });

  it('filters by key or value and keeps the ancestors of matches', () => {
    const tree = buildTree(params);
    const byKey = flattenTree(filterTree(tree, 'BETA2'), () => true);
    expect(byKey.map((r) => r.node.path)).toEqual(['optimizer', 'optimizer/adam', 'optimizer/adam/beta2']);
    const byValue = flattenTree(filterTree(tree, '0.01'), () => true);
    expect(byValue.map((r) => r.node.path)).toEqual(['lr']);
    // A matching folder keeps all of its children.
    expect(flattenTree(filterTree(tree, 'adam/'), () => true).map((r) => r.node.path)).toEqual([
      'optimizer',
      'optimizer/adam',
      'optimizer/adam/beta1',
      'optimizer/adam/beta2',
    ]);
    expect(filterTree(tree, '  ')).toBe(tree);
  });
});
