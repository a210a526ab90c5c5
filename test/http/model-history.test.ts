import { findRunByUuid, purgeRuns } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let exp: string;
let parent: string;
const children: string[] = [];
let first: string;

const VAL_LOSS = [0.5, 0.3, 0.4, 0.2, 0.6];

async function run(name: string, tags: Record<string, string> = {}): Promise<string> {
  return api.createRun(exp, { run_name: name, tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
}

async function log(id: string, params: Record<string, string>, metrics: Record<string, number>): Promise<void> {
  await api.ok('POST', '/runs/log-batch', {
    run_id: id,
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
  });
}

async function dataset(id: string, digest: string): Promise<void> {
  await api.ok('POST', '/runs/log-inputs', {
    run_id: id,
    datasets: [{ dataset: { name: 'tx', digest, source_type: 'local', source: '{"uri":"/d"}' } }],
  });
}

async function register(id: string): Promise<string> {
  const res = await api.ok('POST', '/model-versions/create', {
    name: 'churn',
    source: `runs:/${id}/model`,
    run_id: id,
  });
  return res.model_version.version;
}

const history = (version: string, query = '') =>
  t.call('GET', `/registered-models/churn/versions/${version}/history${query}`);

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
  exp = await api.createExperiment('history');
  await api.ok('POST', '/registered-models/create', { name: 'churn' });

  // v1: a run of its own.
  first = await run('baseline', { 'mlflow.source.git.commit': 'abc123' });
  await log(first, { lr: '0.1', depth: '3' }, { auc: 0.8 });
  await dataset(first, 'aaaa');
  await register(first);

  // v2: the third child of a sweep of five.
  parent = await run('sweep');
  for (const [i, loss] of VAL_LOSS.entries()) {
    const child = await run(`trial-${i}`, { 'mlflow.parentRunId': parent, 'mlflow.source.git.commit': 'def456' });
    // The last child logs no auc: val/loss is the key most children logged.
    const auc: Record<string, number> = i < 4 ? { auc: 0.7 + i / 100 } : {};
    await log(child, { lr: String(0.01 * (i + 1)), layers: '2' }, { 'val/loss': loss, ...auc });
    children.push(child);
  }
  await log(children[0], {}, { extra: 1 });
  await dataset(children[1], 'bbbb');
  await register(children[1]);
});
afterAll(() => server.close());

describe('GET /registered-models/{name}/versions/{version}/history', () => {
  it('names the run with its params, latest metrics, commit and dataset digests', async () => {
    const res = await history('2');
    expect(res.status).toBe(200);
    expect(res.body.model_version).toEqual({ name: 'churn', version: '2' });
    expect(res.body.run).toMatchObject({
      run_id: children[1],
      run_name: 'trial-1',
      status: 'RUNNING',
      params: { lr: '0.02', layers: '2' },
      metrics: { 'val/loss': 0.3, auc: 0.71 },
      git_commit: 'def456',
      datasets: [{ name: 'tx', digest: 'bbbb' }],
    });
  });

  it('ranks the run among its sweep siblings on the metric most of them logged, lower loss first', async () => {
    const { sweep } = (await history('2')).body;
    expect(sweep.parent).toMatchObject({ run_id: parent, run_name: 'sweep' });
    expect(sweep).toMatchObject({
      metric: 'val/loss',
      metric_source: 'most_logged',
      order: 'asc',
      order_source: 'key_name',
      sibling_count: 5,
      ranked_count: 5,
      rank: 2,
    });
    expect(sweep.siblings.map((s: { value: number }) => s.value)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(sweep.siblings.map((s: { rank: number }) => s.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes the order and the metric from the request', async () => {
    const desc = (await history('2', '?order=desc')).body.sweep;
    expect(desc).toMatchObject({ order: 'desc', order_source: 'request', rank: 4 });
    const auc = (await history('2', '?metric=auc')).body.sweep;
    expect(auc).toMatchObject({ metric: 'auc', metric_source: 'request', order: 'desc', rank: 3, ranked_count: 4 });
    const extra = (await history('2', '?metric=extra')).body.sweep;
    expect(extra).toMatchObject({ ranked_count: 1, sibling_count: 5 });
    expect(extra.rank).toBeUndefined();
    // This run has no value: it is still listed, unranked.
    expect(extra.siblings.find((s: { run_id: string }) => s.run_id === children[1])).toMatchObject({ value: null });
    expect((await history('2', '?order=sideways')).status).toBe(400);
  });

  it("prefers the metric the parent's sweep tag names", async () => {
    await api.ok('POST', '/runs/set-tag', { run_id: parent, key: 'mlflow.sweep.metric', value: 'auc,val/loss' });
    const { sweep } = (await history('2')).body;
    expect(sweep).toMatchObject({ metric: 'auc', metric_source: 'parent_tag', rank: 3 });
    await api.ok('POST', '/runs/delete-tag', { run_id: parent, key: 'mlflow.sweep.metric' });
  });

  it('says what changed from each version to the next', async () => {
    const body = (await history('2')).body;
    expect(body.versions.map((v: { version: string }) => v.version)).toEqual(['1', '2']);
    expect(body.version_count).toBe(2);
    expect(body.changes).toHaveLength(1);
    const change = body.changes[0];
    expect(change).toMatchObject({ from_version: '1', to_version: '2' });
    expect(change.from_run.run_id).toBe(first);
    expect(change.params).toEqual({
      added: [{ key: 'layers', before: null, after: '2' }],
      removed: [{ key: 'depth', before: '3', after: null }],
      changed: [{ key: 'lr', before: '0.1', after: '0.02' }],
    });
    expect(change.metrics).toEqual([
      { key: 'auc', before: 0.8, after: 0.71 },
      { key: 'val/loss', before: null, after: 0.3 },
    ]);
    expect(change.datasets).toEqual({
      added: [{ name: 'tx', digest: 'bbbb' }],
      removed: [{ name: 'tx', digest: 'aaaa' }],
    });
    expect(change.git_commit).toEqual({ before: 'abc123', after: 'def456', changed: true });
    // v1 has no earlier version and no sweep.
    const v1 = (await history('1')).body;
    expect(v1.changes).toEqual([]);
    expect(v1.sweep).toBeUndefined();
  });

  it('reports a deleted and a purged run instead of failing', async () => {
    const gone = await run('gone', { 'mlflow.parentRunId': parent });
    await log(gone, { lr: '1' }, { 'val/loss': 0.1 });
    const v = await register(gone);
    await api.ok('POST', '/runs/delete', { run_id: gone });
    const deleted = (await history(v)).body;
    expect(deleted.run).toMatchObject({ run_id: gone, lifecycle_stage: 'deleted' });
    // A deleted child is no longer one of the sweep's runs.
    expect(deleted.sweep.sibling_count).toBe(5);

    const row = await findRunByUuid(server.store.db, gone);
    await purgeRuns(server.store.db, [row?.id as number]);
    const res = await history(v);
    expect(res.status).toBe(200);
    expect(res.body.run).toEqual({ run_id: gone, missing: true });
    expect(res.body.sweep).toBeUndefined();
    expect(res.body.changes[0]).toMatchObject({ from_version: '2', to_run: { run_id: gone, missing: true } });
    expect(res.body.changes[0].params.removed.map((p: { key: string }) => p.key)).toEqual(['layers', 'lr']);
  });

  it('answers 404 for an unknown version or model', async () => {
    expect((await history('99')).status).toBe(404);
    const res = await t.call('GET', '/registered-models/nope/versions/1/history');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
