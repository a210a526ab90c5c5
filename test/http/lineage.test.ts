import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineageGraphIds, seedLineageGraph } from '../support/lineage-seed.ts';
import { startServer, type TestServer, toQuery } from '../support/server.ts';

// GET /api/trove/v1/lineage over a seeded graph: datasets → sweep → children → logged model →
// versions → alias/stage/deployment → a consumer run (test/support/lineage-seed.ts).
let server: TestServer;
let g: LineageGraphIds;
let other: LineageGraphIds;

beforeAll(async () => {
  server = await startServer();
  g = await seedLineageGraph(server.call);
  expect((await server.call('POST', '/api/trove/v1/workspaces', { name: 'other' })).status).toBe(200);
  other = await seedLineageGraph(server.call, 'other');
});
afterAll(() => server?.close());

interface Graph {
  root: string;
  nodes: { id: string; type: string; label: string; attributes: Record<string, unknown> }[];
  edges: { from: string; to: string; kind: string }[];
  truncated: boolean;
}

async function lineage(
  query: Record<string, string>,
  ws?: string,
): Promise<{ status: number; body: Graph & { error_code?: string } }> {
  return server.call('GET', `${ws ? `/w/${ws}` : ''}/api/trove/v1/lineage${toQuery(query)}`);
}
async function walk(node: string, direction: string, depth?: number, limit?: number): Promise<Graph> {
  const q: Record<string, string> = { node, direction };
  if (depth !== undefined) q.depth = String(depth);
  if (limit !== undefined) q.limit = String(limit);
  const res = await lineage(q);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const ids = (graph: Graph) => graph.nodes.map((n) => n.id).sort();
const edges = (graph: Graph) => graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort();
const run = (id: string) => `run:${id}`;

describe('lineage walks', () => {
  it('walks down from a dataset, hop by hop, through the nested sweep', async () => {
    const graph = await walk(g.train, 'down', 3);
    const [trial1, trial2] = g.children;
    expect(graph.root).toBe(g.train);
    expect(graph.truncated).toBe(false);
    expect(ids(graph)).toEqual(
      [
        g.train,
        run(g.sweep),
        run(trial1),
        run(trial2),
        run(g.grandchild),
        `logged_model:${g.loggedModel}`,
        'model_version:churn/2',
      ].sort(),
    );
    expect(edges(graph)).toEqual(
      [
        `${g.train} -input-> ${run(g.sweep)}`,
        `${run(g.sweep)} -parent-> ${run(trial1)}`,
        `${run(g.sweep)} -parent-> ${run(trial2)}`,
        `${run(trial2)} -parent-> ${run(g.grandchild)}`,
        `${run(trial1)} -produced-> logged_model:${g.loggedModel}`,
        `${run(trial2)} -registered_as-> model_version:churn/2`,
      ].sort(),
    );
    const sweep = graph.nodes.find((n) => n.id === run(g.sweep));
    expect(sweep).toMatchObject({
      type: 'run',
      label: 'sweep',
      attributes: { experiment_id: g.experimentId, git_commit: 'abc123', entry_point: 'train.py', status: 'RUNNING' },
    });
    expect(graph.nodes.find((n) => n.id === g.train)?.attributes).toMatchObject({
      name: 'train',
      digest: 'd1',
      source: 's3://data/train.parquet',
      source_type: 's3',
    });
  });

  it('reaches versions, alias, stage, deployment and the consumer at depth 6', async () => {
    const graph = await walk(g.train, 'down', 6);
    const lm = `logged_model:${g.loggedModel}`;
    const v1 = 'model_version:churn/1';
    const deployment = `deployment:${g.deploymentId}`;
    expect(ids(graph)).toEqual(
      expect.arrayContaining([v1, 'alias:churn@champion', 'stage:churn/Production', deployment, run(g.consumer)]),
    );
    expect(edges(graph)).toEqual(
      expect.arrayContaining([
        `${lm} -registered_as-> ${v1}`,
        `${lm} -consumed-> ${run(g.consumer)}`,
        `${v1} -consumed-> ${run(g.consumer)}`,
        `${v1} -alias-> alias:churn@champion`,
        `${v1} -stage-> stage:churn/Production`,
        `${v1} -deployed-> ${deployment}`,
      ]),
    );
    expect(graph.nodes.find((n) => n.id === deployment)).toMatchObject({
      type: 'deployment',
      label: 'prod',
      attributes: { environment: 'prod', status: 'running', url: 'https://churn.example', version: 1 },
    });
    expect(graph.nodes.find((n) => n.id === v1)?.attributes).toMatchObject({
      name: 'churn',
      version: 1,
      stage: 'Production',
    });
  });

  it('walks up from a deployment to the datasets it was trained on', async () => {
    const graph = await walk(`deployment:${g.deploymentId}`, 'up', 10);
    const [trial1] = g.children;
    expect(ids(graph)).toEqual(
      [
        `deployment:${g.deploymentId}`,
        'model_version:churn/1',
        `logged_model:${g.loggedModel}`,
        run(trial1),
        run(g.sweep),
        g.train,
        g.evaluation,
      ].sort(),
    );
    expect(edges(graph)).toEqual(
      expect.arrayContaining([
        `${run(g.sweep)} -parent-> ${run(trial1)}`,
        `${g.evaluation} -input-> ${run(g.sweep)}`,
        `model_version:churn/1 -deployed-> deployment:${g.deploymentId}`,
      ]),
    );
  });

  it('walks up from a grandchild through its parents (one recursive hop per generation)', async () => {
    const graph = await walk(run(g.grandchild), 'up', 2);
    expect(ids(graph)).toEqual([run(g.grandchild), run(g.children[1]), run(g.sweep)].sort());
    const one = await walk(run(g.grandchild), 'up', 1);
    expect(ids(one)).toEqual([run(g.grandchild), run(g.children[1])].sort());
  });

  it('walks up from the consumer run to the model and version it loaded', async () => {
    const graph = await walk(run(g.consumer), 'up', 1);
    expect(edges(graph)).toEqual(
      [
        `logged_model:${g.loggedModel} -consumed-> ${run(g.consumer)}`,
        `model_version:churn/1 -consumed-> ${run(g.consumer)}`,
      ].sort(),
    );
  });

  it('walks both ways from a model version; from an alias and a stage up to their version', async () => {
    const graph = await walk('model_version:churn/1', 'both', 1);
    expect(ids(graph)).toEqual(
      [
        'model_version:churn/1',
        `logged_model:${g.loggedModel}`,
        'alias:churn@champion',
        'stage:churn/Production',
        `deployment:${g.deploymentId}`,
        run(g.consumer),
      ].sort(),
    );
    expect(ids(await walk('alias:churn@champion', 'up', 1))).toEqual(['alias:churn@champion', 'model_version:churn/1']);
    expect(ids(await walk('stage:churn/Production', 'up', 1))).toEqual([
      'model_version:churn/1',
      'stage:churn/Production',
    ]);
    // Default direction is both, default depth 3.
    const res = await lineage({ node: 'model_version:churn/2' });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toContain(run(g.sweep));
  });

  it('stops at the limit and says so', async () => {
    const graph = await walk(g.train, 'down', 6, 3);
    expect(graph.nodes).toHaveLength(3);
    expect(graph.truncated).toBe(true);
    const known = new Set(graph.nodes.map((n) => n.id));
    for (const e of graph.edges) expect(known.has(e.from) && known.has(e.to)).toBe(true);
  });
});

describe('lineage errors and isolation', () => {
  it('answers 404 for a node that does not exist', async () => {
    for (const node of [
      'run:0123456789abcdef0123456789abcdef',
      'model_version:churn/99',
      'model_version:nope/1',
      'alias:churn@nope',
      'stage:churn/Staging',
      'stage:churn/None',
      'deployment:999999',
      `dataset:${g.experimentId}/train/other-digest`,
      'logged_model:m-00000000000000000000000000000000',
    ]) {
      const res = await lineage({ node });
      expect(res.status, node).toBe(404);
      expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('answers 400 for a malformed node, depth, limit or direction', async () => {
    for (const query of [
      { node: 'x' },
      { node: 'run:' },
      { node: 'planet:earth' },
      { node: 'model_version:churn/one' },
      { node: 'dataset:abc/train/d1' },
      { node: 'deployment:abc' },
      { node: run(g.sweep), depth: '0' },
      { node: run(g.sweep), depth: '11' },
      { node: run(g.sweep), limit: '0' },
      { node: run(g.sweep), direction: 'sideways' },
      {},
    ]) {
      const res = await lineage(query as Record<string, string>);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('never leaves the workspace: another workspace’s nodes are not found, its own walk stays inside', async () => {
    expect((await lineage({ node: run(other.sweep) })).status).toBe(404);
    expect((await lineage({ node: `deployment:${other.deploymentId}` })).status).toBe(404);
    const inOther = await lineage({ node: other.train, direction: 'down', depth: '10' }, 'other');
    expect(inOther.status).toBe(200);
    const found = ids(inOther.body);
    expect(found).toContain(`deployment:${other.deploymentId}`);
    for (const id of [run(g.sweep), run(g.consumer), `deployment:${g.deploymentId}`]) expect(found).not.toContain(id);
  });
});
