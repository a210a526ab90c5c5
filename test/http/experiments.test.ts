import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

describe('experiments', () => {
  it('has the Default experiment 0 with an mlflow-artifacts location', async () => {
    const res = await api.get('/experiments/get', { experiment_id: '0' });
    expect(res.status).toBe(200);
    expect(res.body.experiment).toMatchObject({
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
    });
    expect(typeof res.body.experiment.creation_time).toBe('number');
  });

  it('creates, gets by id and by name, with tags', async () => {
    const created = await api.post('/experiments/create', { name: 'exp-a', tags: [{ key: 'team', value: 'vision' }] });
    expect(created.status).toBe(200);
    const id = created.body.experiment_id;
    expect(id).toMatch(/^\d+$/);
    const byId = await api.get('/experiments/get', { experiment_id: id });
    expect(byId.body.experiment).toMatchObject({
      name: 'exp-a',
      artifact_location: `mlflow-artifacts:/${id}`,
      tags: [{ key: 'team', value: 'vision' }],
    });
    const byName = await api.get('/experiments/get-by-name', { experiment_name: 'exp-a' });
    expect(byName.body.experiment.experiment_id).toBe(id);
  });

  it('records a relative artifact_location as MLflow does: absolute against the server working directory', async () => {
    const id = (await api.post('/experiments/create', { name: 'relative-loc', artifact_location: 'my_location' })).body
      .experiment_id;
    const exp = (await api.get('/experiments/get', { experiment_id: id })).body.experiment;
    expect(exp.artifact_location).toBe(resolve(process.cwd(), 'my_location'));
    const run = (await api.post('/runs/create', { experiment_id: id })).body.run;
    expect(run.info.artifact_uri).toBe(`${resolve(process.cwd(), 'my_location')}/${run.info.run_id}/artifacts`);
  });

  it('accepts a numeric experiment_id from legacy clients', async () => {
    const res = await api.post('/runs/create', { experiment_id: 0 });
    expect(res.status).toBe(200);
    expect(res.body.run.info.experiment_id).toBe('0');
  });

  it('answers the codes the client branches on', async () => {
    const missing = await api.get('/experiments/get-by-name', { experiment_name: 'nope' });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    await api.ok('POST', '/experiments/create', { name: 'dup' });
    const dup = await api.post('/experiments/create', { name: 'dup' });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('validates input with 400 INVALID_PARAMETER_VALUE', async () => {
    const cases: [string, unknown][] = [
      ['/experiments/create', {}],
      ['/experiments/create', { name: '' }],
      ['/experiments/create', { name: null }],
      ['/experiments/create', { name: 42 }],
      ['/experiments/create', { name: 'x'.repeat(501) }],
      ['/experiments/create', { name: 'loc', artifact_location: 's3://b/p?x=1' }],
      ['/experiments/create', { name: 'loc2', artifact_location: 's3://b/../p' }],
      ['/experiments/create', { name: 't', tags: [{ key: 'bad key!', value: 'v' }] }],
      ['/experiments/create', { name: 't2', tags: [{ key: 'k', value: 'v'.repeat(5001) }] }],
      ['/experiments/update', { experiment_id: '0' }],
      ['/experiments/set-experiment-tag', { experiment_id: '0', key: '../x', value: 'v' }],
    ];
    for (const [path, body] of cases) {
      const res = await api.post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('rejects non-numeric and unknown ids', async () => {
    const bad = await api.get('/experiments/get', { experiment_id: 'abc' });
    expect(bad.status).toBe(400);
    const unknown = await api.get('/experiments/get', { experiment_id: '987654' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('renames, tags, deletes and restores with run cascade', async () => {
    const id = await api.createExperiment('lifecycle');
    const runId = await api.createRun(id);
    await api.ok('POST', '/experiments/update', { experiment_id: id, new_name: 'lifecycle-2' });
    await api.ok('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v1' });
    await api.ok('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v2' });
    let exp = (await api.ok('GET', `/experiments/get?experiment_id=${id}`)).experiment;
    expect(exp).toMatchObject({ name: 'lifecycle-2', tags: [{ key: 'k', value: 'v2' }] });
    await api.ok('POST', '/experiments/delete-experiment-tag', { experiment_id: id, key: 'k' });
    const noTag = await api.post('/experiments/delete-experiment-tag', { experiment_id: id, key: 'k' });
    expect(noTag.status).toBe(404);

    await api.ok('POST', '/experiments/delete', { experiment_id: id });
    exp = (await api.ok('GET', `/experiments/get?experiment_id=${id}`)).experiment;
    expect(exp.lifecycle_stage).toBe('deleted');
    expect((await api.ok('GET', `/runs/get?run_id=${runId}`)).run.info.lifecycle_stage).toBe('deleted');
    expect((await api.post('/experiments/delete', { experiment_id: id })).status).toBe(404);
    const rename = await api.post('/experiments/update', { experiment_id: id, new_name: 'x' });
    expect(rename.status).toBe(400);
    const tag = await api.post('/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v' });
    expect(tag.status).toBe(400);
    const run = await api.post('/runs/create', { experiment_id: id });
    expect(run.status).toBe(400);
    // Names stay reserved by deleted experiments.
    expect((await api.post('/experiments/create', { name: 'lifecycle-2' })).body.error_code).toBe(
      'RESOURCE_ALREADY_EXISTS',
    );

    await api.ok('POST', '/experiments/restore', { experiment_id: id });
    expect((await api.ok('GET', `/runs/get?run_id=${runId}`)).run.info.lifecycle_stage).toBe('active');
    expect((await api.post('/experiments/restore', { experiment_id: id })).status).toBe(404);
  });

  it('refuses to rename onto an existing name', async () => {
    const a = await api.createExperiment('rn-a');
    await api.createExperiment('rn-b');
    const res = await api.post('/experiments/update', { experiment_id: a, new_name: 'rn-b' });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('searches with filter, order and pages (POST and GET)', async () => {
    for (const n of ['srch-1', 'srch-2', 'srch-3', 'SRCH-4']) await api.createExperiment(n);
    const like = await api.ok('POST', '/experiments/search', {
      max_results: 1000,
      filter: "name LIKE 'srch-%'",
      order_by: ['name ASC'],
    });
    expect(like.experiments.map((e: { name: string }) => e.name)).toEqual(['srch-1', 'srch-2', 'srch-3']);
    const ilike = await api.ok(
      'GET',
      `/experiments/search?max_results=1000&filter=${encodeURIComponent("name ILIKE 'srch-%'")}&order_by=name%20DESC`,
    );
    expect(ilike.experiments.map((e: { name: string }) => e.name)).toEqual(['srch-3', 'srch-2', 'srch-1', 'SRCH-4']);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.ok('POST', '/experiments/search', {
        max_results: 2,
        filter: "name ILIKE 'srch-%'",
        order_by: ['name ASC'],
        page_token: token,
      });
      names.push(...page.experiments.map((e: { name: string }) => e.name));
      token = page.next_page_token;
    } while (token);
    expect(names).toEqual(['SRCH-4', 'srch-1', 'srch-2', 'srch-3']);
    const bad = await api.post('/experiments/search', { max_results: 1000, filter: 'name = unquoted' });
    expect(bad.status).toBe(400);
    expect((await api.post('/experiments/search', { max_results: 0 })).status).toBe(400);
    expect((await api.post('/experiments/search', { max_results: 50001 })).status).toBe(400);
    expect((await api.post('/experiments/search', { max_results: 10, page_token: 'garbage' })).status).toBe(400);
  });

  it('lists deleted experiments by view type', async () => {
    const id = await api.createExperiment('gone');
    await api.ok('POST', '/experiments/delete', { experiment_id: id });
    const deleted = await api.ok('POST', '/experiments/search', { max_results: 1000, view_type: 'DELETED_ONLY' });
    expect(deleted.experiments.map((e: { name: string }) => e.name)).toContain('gone');
    const active = await api.ok('POST', '/experiments/search', { max_results: 1000 });
    expect(active.experiments.map((e: { name: string }) => e.name)).not.toContain('gone');
    const bad = await api.post('/experiments/search', { max_results: 10, view_type: 'SOMETIMES' });
    expect(bad.status).toBe(400);
  });
});
