/** A synthetic lineage graph of about `size` nodes shaped like a real one: datasets → sweeps of runs → versions → aliases/deployments. */
export function syntheticLineage(size: number) {
  type Node = { id: string; type: string; label: string; attributes: Record<string, string | number | null> };
  const nodes: Node[] = [];
  const edges: { from: string; to: string; kind: string }[] = [];
  const datasets = Math.max(2, Math.round(size * 0.05));
  for (let d = 0; d < datasets; d++)
    nodes.push({
      id: `dataset:1/data-${d}/d${d}`,
      type: 'dataset',
      label: `data-${d}`,
      attributes: { name: `data-${d}`, digest: `d${d}`, source: 's3://b/x', source_type: 's3' },
    });
  let i = 0;
  while (nodes.length < size) {
    const parent = `run:p${i}`;
    nodes.push({
      id: parent,
      type: 'run',
      label: `sweep-${i}`,
      attributes: { experiment_id: '1', status: 'FINISHED', git_commit: 'abc', entry_point: 'train.py', start_time: 1 },
    });
    for (let c = 0; c < 12 && nodes.length < size; c++) {
      const run = `run:c${i}-${c}`;
      nodes.push({
        id: run,
        type: 'run',
        label: `trial-${i}-${c}`,
        attributes: {
          experiment_id: '1',
          status: 'FINISHED',
          git_commit: 'abc',
          entry_point: 'train.py',
          start_time: 1,
        },
      });
      edges.push({ from: parent, to: run, kind: 'parent' });
      edges.push({ from: `dataset:1/data-${(i + c) % datasets}/d${(i + c) % datasets}`, to: run, kind: 'input' });
      if (c % 4 === 0 && nodes.length < size) {
        const v = `model_version:m${i}/${c + 1}`;
        nodes.push({
          id: v,
          type: 'model_version',
          label: `m${i} v${c + 1}`,
          attributes: { name: `m${i}`, version: c + 1, stage: 'None' },
        });
        edges.push({ from: run, to: v, kind: 'registered_as' });
        if (c === 0 && nodes.length < size) {
          nodes.push({
            id: `deployment:${i}`,
            type: 'deployment',
            label: `prod-${i}`,
            attributes: { environment: 'prod', status: 'running', time: 1 },
          });
          edges.push({ from: v, to: `deployment:${i}`, kind: 'deployed' });
        }
      }
    }
    i++;
  }
  return { root: 'run:p0', nodes: nodes.slice(0, size), edges, truncated: false };
}
