import { collect, TrackingClient, TroveError } from '@trove/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let client: TrackingClient;

beforeAll(async () => {
  server = await startServer();
  client = new TrackingClient({ trackingUri: server.url, retry: { maxAttempts: 1 } });
});
afterAll(() => server.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TroveError);
  return (err as TroveError).code;
}

const tagMap = (tags: { key: string; value: string }[] = []) => Object.fromEntries(tags.map((t) => [t.key, t.value]));

describe('experiments', () => {
  it('create, get, get by name, rename, tag, delete and restore round-trip', async () => {
    const id = await client.createExperiment('exp-crud', { tags: { team: 'vision' } });
    const exp = await client.getExperiment(id);
    expect(exp).toMatchObject({
      experiment_id: id,
      name: 'exp-crud',
      lifecycle_stage: 'active',
      artifact_location: `mlflow-artifacts:/${id}`,
    });
    expect(tagMap(exp.tags)).toEqual({ team: 'vision' });
    expect((await client.getExperimentByName('exp-crud')).experiment_id).toBe(id);

    await client.updateExperiment(id, 'exp-renamed');
    expect((await client.getExperiment(id)).name).toBe('exp-renamed');
    await client.setExperimentTag(id, 'stage', 'dev');
    await client.deleteExperimentTag(id, 'team');
    expect(tagMap((await client.getExperiment(id)).tags)).toEqual({ stage: 'dev' });

    await client.deleteExperiment(id);
    expect((await client.getExperiment(id)).lifecycle_stage).toBe('deleted');
    await client.restoreExperiment(id);
    expect((await client.getExperiment(id)).lifecycle_stage).toBe('active');
  });

  it('surfaces server error codes as TroveError', async () => {
    expect(await codeOf(client.getExperiment('999999'))).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(await codeOf(client.getExperimentByName('no-such-experiment'))).toBe('RESOURCE_DOES_NOT_EXIST');
    await client.createExperiment('dupe');
    expect(await codeOf(client.createExperiment('dupe'))).toBe('RESOURCE_ALREADY_EXISTS');
    expect(await codeOf(client.createExperiment(''))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('searches one page at a time and iterates over every page', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await client.createExperiment(`paged-${i}`));
    const first = await client.searchExperiments({ filter: "name LIKE 'paged-%'", maxResults: 3 });
    expect(first.experiments).toHaveLength(3);
    expect(first.nextPageToken).toBeTruthy();
    const all = await collect(
      client.iterateExperiments({ filter: "name LIKE 'paged-%'", maxResults: 3, orderBy: ['name ASC'] }),
    );
    expect(all.map((e) => e.name)).toEqual(ids.map((_, i) => `paged-${i}`));
    await client.deleteExperiment(ids[0]);
    const deleted = await collect(
      client.iterateExperiments({ filter: "name LIKE 'paged-%'", viewType: 'DELETED_ONLY', maxResults: 2 }),
    );
    expect(deleted.map((e) => e.experiment_id)).toEqual([ids[0]]);
  });
});

describe('runs', () => {
  it('create, get, update, delete and restore round-trip', async () => {
    const experimentId = await client.createExperiment('runs-crud');
    const run = await client.createRun({ experimentId, runName: 'first', tags: { note: 'hi' }, userId: 'ada' });
    const runId = run.info.run_id;
    expect(run.info).toMatchObject({
      experiment_id: experimentId,
      run_name: 'first',
      status: 'RUNNING',
      user_id: 'ada',
      lifecycle_stage: 'active',
    });
    expect(tagMap(run.data.tags)).toMatchObject({ note: 'hi', 'mlflow.runName': 'first' });
    expect((await client.getRun(runId)).info.run_id).toBe(runId);

    const info = await client.updateRun(runId, { status: 'FINISHED', endTime: 1_700_000_000_000, runName: 'renamed' });
    expect(info).toMatchObject({ status: 'FINISHED', end_time: 1_700_000_000_000, run_name: 'renamed' });
    await client.deleteRun(runId);
    expect((await client.getRun(runId)).info.lifecycle_stage).toBe('deleted');
    await client.restoreRun(runId);
    expect((await client.getRun(runId)).info.lifecycle_stage).toBe('active');
    expect(await codeOf(client.getRun('0'.repeat(32)))).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('logs metrics, params, tags, batches and inputs', async () => {
    const runId = (await client.createRun({})).info.run_id;
    await client.logMetric(runId, 'loss', 0.5, { step: 1, timestamp: 1000 });
    await client.logMetric(runId, 'loss', Number.NaN, { step: 2, timestamp: 2000 });
    await client.logMetric(runId, 'big', 1, { step: 2n ** 60n, timestamp: 3000 });
    await client.logParam(runId, 'lr', 0.01);
    await client.setTag(runId, 'phase', 'train');
    await client.setTag(runId, 'tmp', 'x');
    await client.deleteTag(runId, 'tmp');
    const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, String(i)]));
    await client.logBatch(runId, {
      metrics: [{ key: 'acc', value: 0.9, step: 3 }],
      params,
      tags: [{ key: 'batch', value: 'yes' }],
    });
    const dataset = { name: 'mnist', digest: 'abc123', source_type: 'local', source: '/data/mnist' };
    await client.logInputs(runId, { datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'train' }] }] });

    const run = await client.getRun(runId);
    const params2 = tagMap(run.data.params);
    expect(Object.keys(params2)).toHaveLength(151);
    expect(params2.lr).toBe('0.01');
    const tags = tagMap(run.data.tags);
    expect(tags).toMatchObject({ phase: 'train', batch: 'yes' });
    expect(tags.tmp).toBeUndefined();
    const latest = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m]));
    expect(latest.acc).toMatchObject({ value: 0.9, step: 3 });
    // int64 steps survive the round trip (read from the history: runs/get's latest metrics round them, a server issue).
    expect((await client.getMetricHistory(runId, 'big'))[0].step).toBe(2n ** 60n);
    expect(run.inputs?.dataset_inputs?.[0].dataset).toMatchObject(dataset);

    const history = await client.getMetricHistory(runId, 'loss');
    expect(history.map((m) => [m.value, m.step, m.timestamp])).toEqual([
      [0.5, 1, 1000],
      ['NaN', 2, 2000],
    ]);
    expect(await client.getMetricHistory(runId, 'nothing')).toEqual([]);
    expect(await codeOf(client.logParam(runId, 'lr', 0.02))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('searches runs page by page and iterates over every page', async () => {
    const experimentId = await client.createExperiment('runs-paged');
    const created: string[] = [];
    for (let i = 0; i < 7; i++)
      created.push((await client.createRun({ experimentId, runName: `r${i}`, startTime: 1000 + i })).info.run_id);
    const page = await client.searchRuns({ experimentIds: [experimentId], maxResults: 3 });
    expect(page.runs).toHaveLength(3);
    expect(page.nextPageToken).toBeTruthy();
    const all = await collect(
      client.iterateRuns({ experimentIds: [experimentId], maxResults: 3, orderBy: ['start_time ASC'] }),
    );
    expect(all.map((r) => r.info.run_id)).toEqual(created);
    const filtered = await collect(
      client.iterateRuns({ experimentIds: [experimentId], filter: "attributes.run_name = 'r4'", maxResults: 1 }),
    );
    expect(filtered.map((r) => r.info.run_name)).toEqual(['r4']);
  });
});

describe('metric history', () => {
  it('follows every page of a long history, and samples it with get-history-bulk-interval', async () => {
    const runA = (await client.createRun({})).info.run_id;
    const runB = (await client.createRun({})).info.run_id;
    const points = Array.from({ length: 2500 }, (_, step) => ({
      key: 'loss',
      value: 1 / (step + 1),
      step,
      timestamp: 1000 + step,
    }));
    await client.logBatch(runA, { metrics: points });
    await client.logBatch(runB, { metrics: points.slice(0, 10) });

    const pages: number[] = [];
    for await (const m of client.iterateMetricHistory(runA, 'loss', 700)) pages.push(Number(m.step));
    expect(pages).toEqual(points.map((p) => p.step));
    expect(await client.getMetricHistory(runA, 'loss', 1000)).toHaveLength(2500);

    const sampled = await client.sampledHistory([runA, runB], 'loss', { maxResults: 5 });
    const forA = sampled.filter((m) => m.run_id === runA).map((m) => m.step);
    // MLflow's choice: every 500th step of the union, the last step, and each run's first and last (runB ends at 9).
    expect(forA).toEqual([0, 9, 500, 1000, 1500, 2000, 2499]);
    const ranged = await client.sampledHistory(runA, 'loss', { startStep: 100, endStep: 110, maxResults: 20 });
    expect(ranged.map((m) => m.step)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
  });
});

describe('native nested logging', () => {
  it('logs nested params, metrics and tags and reads typed params back', async () => {
    const runId = (await client.createRun({})).info.run_id;
    const res = await client.logNested(runId, {
      params: { optimizer: { name: 'adam', lr: 0.01, amsgrad: false }, layers: [64, 32] },
      metrics: {
        train: {
          loss: [
            { step: 1, value: 0.9 },
            { step: 2, value: Number.POSITIVE_INFINITY },
          ],
        },
        val: { acc: 0.8 },
      },
      tags: { data: { version: 'v3' } },
      step: 2,
    });
    expect(res).toEqual({ params: 4, metric_points: 3, tags: 1 });
    const typed = await client.getTypedParams(runId);
    expect(typed.tree).toEqual({ optimizer: { name: 'adam', lr: 0.01, amsgrad: false }, layers: [64, 32] });
    expect(typed.params.find((p) => p.key === 'optimizer/amsgrad')).toEqual({
      key: 'optimizer/amsgrad',
      value: false,
      type: 'bool',
    });
    expect((await client.getMetricHistory(runId, 'train/loss')).map((m) => m.value)).toEqual([
      0.9, 1.7976931348623157e308,
    ]);
    expect(tagMap((await client.getRun(runId)).data.tags)['data/version']).toBe('v3');
    expect(await codeOf(client.logNested(runId, { tags: { bad: 1 } }))).toBe('INVALID_PARAMETER_VALUE');
  });
});
