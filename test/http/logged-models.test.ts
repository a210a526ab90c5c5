import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let exp: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  exp = await api.createExperiment('models');
});
afterAll(() => server.close());

describe('logged models (MLflow 3)', () => {
  it('follows the log_model flow: create, link output, log metrics with model_id, finalize', async () => {
    const runId = await api.createRun(exp);
    const created = await api.ok('POST', '/logged-models', {
      experiment_id: exp,
      name: 'model',
      model_type: 'sklearn',
      source_run_id: runId,
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'mlflow.user', value: 'alice' }],
    });
    const info = created.model.info;
    expect(info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(info).toMatchObject({
      name: 'model',
      status: 'LOGGED_MODEL_PENDING',
      source_run_id: runId,
      experiment_id: exp,
      artifact_uri: `mlflow-artifacts:/${exp}/models/${info.model_id}/artifacts`,
    });
    expect(created.model.data.params).toEqual([{ key: 'alpha', value: '0.5' }]);

    await api.ok('POST', '/runs/outputs', { run_id: runId, models: [{ model_id: info.model_id, step: 0 }] });
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'acc', value: 0.9, timestamp: 5, step: 0, model_id: info.model_id }],
    });
    const finalized = await server.call('PATCH', `${api.base}/logged-models/${info.model_id}`, {
      model_id: info.model_id,
      status: 'LOGGED_MODEL_READY',
    });
    expect(finalized.status).toBe(200);
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');
    const got = (await api.ok('GET', `/logged-models/${info.model_id}`)).model;
    expect(got.data.metrics).toEqual([
      { key: 'acc', value: 0.9, timestamp: 5, step: 0, model_id: info.model_id, run_id: runId },
    ]);
    expect((await api.ok('GET', `/runs/get?run_id=${runId}`)).run.outputs.model_outputs).toEqual([
      { model_id: info.model_id, step: 0 },
    ]);
  });

  it('resolves runs:/<run>/model the way the client searches for it', async () => {
    const runId = await api.createRun(exp);
    const m = (await api.ok('POST', '/logged-models', { experiment_id: exp, name: 'clf', source_run_id: runId })).model
      .info;
    await api.ok('POST', '/logged-models', { experiment_id: exp, name: 'other' });
    const found = await api.ok('POST', '/logged-models/search', { experiment_ids: [exp], filter: "name = 'clf'" });
    expect(found.models.map((x: { info: { model_id: string } }) => x.info.model_id)).toEqual([m.model_id]);
    const bySource = await api.ok('POST', '/logged-models/search', {
      experiment_ids: [exp],
      filter: `source_run_id = '${runId}' AND name LIKE 'c%'`,
    });
    expect(bySource.models).toHaveLength(1);
  });

  it('searches by metrics, params and tags, orders and pages', async () => {
    const e = await api.createExperiment('models-search');
    const runId = await api.createRun(e);
    const ids: string[] = [];
    for (const [i, acc] of [0.7, 0.9, 0.8].entries()) {
      const id = (
        await api.ok('POST', '/logged-models', {
          experiment_id: e,
          name: `m${i}`,
          params: [{ key: 'depth', value: String(i) }],
          tags: [{ key: 'kind', value: i === 0 ? 'tree' : 'net' }],
        })
      ).model.info.model_id;
      await api.ok('POST', '/runs/log-metric', {
        run_id: runId,
        key: 'acc',
        value: acc,
        timestamp: 1,
        step: 0,
        model_id: id,
        dataset_name: 'val',
        dataset_digest: 'd1',
      });
      ids.push(id);
    }
    const good = await api.ok('POST', '/logged-models/search', {
      experiment_ids: [e],
      filter: 'metrics.acc > 0.75',
      order_by: [{ field_name: 'metrics.acc', ascending: false }],
    });
    expect(good.models.map((m: { info: { name: string } }) => m.info.name)).toEqual(['m1', 'm2']);
    const tagged = await api.ok('POST', '/logged-models/search', {
      experiment_ids: [e],
      filter: "tags.kind = 'net' AND params.depth = '2'",
    });
    expect(tagged.models.map((m: { info: { name: string } }) => m.info.name)).toEqual(['m2']);
    const onDataset = await api.ok('POST', '/logged-models/search', {
      experiment_ids: [e],
      datasets: [{ dataset_name: 'val' }],
    });
    expect(onDataset.models).toHaveLength(3);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.ok('POST', '/logged-models/search', {
        experiment_ids: [e],
        max_results: 2,
        order_by: [{ field_name: 'name' }],
        page_token: token,
      });
      names.push(...page.models.map((m: { info: { name: string } }) => m.info.name));
      token = page.next_page_token;
    } while (token);
    expect(names).toEqual(['m0', 'm1', 'm2']);
    const replay = await api.post('/logged-models/search', {
      experiment_ids: [e],
      max_results: 2,
      filter: "name = 'm0'",
      page_token: (await api.ok('POST', '/logged-models/search', { experiment_ids: [e], max_results: 1 }))
        .next_page_token,
    });
    expect(replay.status).toBe(400);
    expect((await api.post('/logged-models/search', { experiment_ids: [e], filter: 'bogus.x = 1' })).status).toBe(400);
  });

  it('sets and deletes tags, logs params, deletes the model', async () => {
    const id = (await api.ok('POST', '/logged-models', { experiment_id: exp })).model.info.model_id;
    expect(
      (
        await server.call('PATCH', `${api.base}/logged-models/${id}/tags`, {
          tags: [{ key: 'mlflow.modelVersions', value: '[]' }],
        })
      ).status,
    ).toBe(200);
    await api.ok('POST', `/logged-models/${id}/params`, { model_id: id, params: [{ key: 'p', value: '1' }] });
    const model = (await api.ok('GET', `/logged-models/${id}`)).model;
    expect(model.info.tags).toEqual([{ key: 'mlflow.modelVersions', value: '[]' }]);
    expect(model.data.params).toEqual([{ key: 'p', value: '1' }]);
    expect(model.info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect((await server.call('DELETE', `${api.base}/logged-models/${id}/tags/mlflow.modelVersions`)).status).toBe(200);
    expect((await server.call('DELETE', `${api.base}/logged-models/${id}/tags/mlflow.modelVersions`)).status).toBe(404);
    expect((await server.call('DELETE', `${api.base}/logged-models/${id}`)).status).toBe(200);
    const gone = await api.get(`/logged-models/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe(`Logged model with ID '${id}' not found.`);
  });

  it('rejects bad names, unknown experiments and bad statuses', async () => {
    expect((await api.post('/logged-models', { experiment_id: exp, name: 'a/b' })).status).toBe(400);
    expect((await api.post('/logged-models', { experiment_id: '99999' })).status).toBe(404);
    expect((await api.post('/logged-models', {})).status).toBe(400);
    const id = (await api.ok('POST', '/logged-models', { experiment_id: exp })).model.info.model_id;
    expect((await server.call('PATCH', `${api.base}/logged-models/${id}`, { status: 'DONE' })).status).toBe(400);
    expect(
      (await server.call('PATCH', `${api.base}/logged-models/m-${'0'.repeat(32)}`, { status: 'LOGGED_MODEL_READY' }))
        .status,
    ).toBe(404);
  });
});
