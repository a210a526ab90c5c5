import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  await server.call('POST', '/api/trove/v1/workspaces', { name: 'other' });
});
afterAll(() => server.close());

const api = (ws?: string) => (ws ? `/w/${ws}/api/trove/v1` : '/api/trove/v1');

async function ok(method: string, path: string, body?: unknown) {
  const res = await server.call(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function createModel(name: string, ws?: string): Promise<void> {
  const base = ws ? `/w/${ws}/api/2.0/mlflow` : '/api/2.0/mlflow';
  await ok('POST', `${base}/registered-models/create`, { name });
}

describe('projects', () => {
  it('creates, lists, gets, renames and deletes projects of a workspace', async () => {
    const created = (await ok('POST', `${api()}/projects`, { name: 'vision', description: 'image models' })).project;
    expect(created).toMatchObject({ name: 'vision', description: 'image models', experiment_count: 0, model_count: 0 });
    expect(created.project_id).toMatch(/^\d+$/);
    await ok('POST', `${api()}/projects`, { name: 'audio' });

    const listed = (await ok('GET', `${api()}/projects`)).projects;
    expect(listed.map((p: { name: string }) => p.name)).toEqual(['audio', 'vision']);

    const renamed = (await ok('PATCH', `${api()}/projects/${created.project_id}`, { name: 'vision-2' })).project;
    expect(renamed).toMatchObject({ project_id: created.project_id, name: 'vision-2', description: 'image models' });
    expect((await ok('GET', `${api()}/projects/${created.project_id}`)).project.name).toBe('vision-2');

    await ok('DELETE', `${api()}/projects/${created.project_id}`);
    const gone = await server.call('GET', `${api()}/projects/${created.project_id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await ok('GET', `${api()}/projects`)).projects.map((p: { name: string }) => p.name)).toEqual(['audio']);
  });

  it('assigns experiments and registered models, moves them between projects and removes them', async () => {
    const root = mlflow(server);
    const exp = await root.createExperiment('proj-exp');
    await createModel('proj-model');
    const a = (await ok('POST', `${api()}/projects`, { name: 'assign-a' })).project.project_id;
    const b = (await ok('POST', `${api()}/projects`, { name: 'assign-b' })).project.project_id;

    await ok('POST', `${api()}/projects/${a}/experiments`, { experiment_id: exp });
    await ok('POST', `${api()}/projects/${a}/registered-models`, { name: 'proj-model' });
    const page = await ok('GET', `${api()}/projects/${a}`);
    expect(page.project).toMatchObject({ experiment_count: 1, model_count: 1 });
    expect(page.experiments).toEqual([
      expect.objectContaining({ experiment_id: exp, name: 'proj-exp', lifecycle_stage: 'active' }),
    ]);
    expect(page.registered_models).toEqual([expect.objectContaining({ name: 'proj-model' })]);

    // An experiment belongs to one project: assigning it elsewhere moves it.
    await ok('POST', `${api()}/projects/${b}/experiments`, { experiment_id: exp });
    expect((await ok('GET', `${api()}/projects/${a}`)).experiments).toEqual([]);
    expect((await ok('GET', `${api()}/projects/${b}`)).experiments.map((e: { name: string }) => e.name)).toEqual([
      'proj-exp',
    ]);

    await ok('DELETE', `${api()}/projects/${b}/experiments/${exp}`);
    await ok('DELETE', `${api()}/projects/${a}/registered-models/proj-model`);
    const empty = await ok('GET', `${api()}/projects/${a}`);
    expect(empty.registered_models).toEqual([]);
    const again = await server.call('DELETE', `${api()}/projects/${a}/registered-models/proj-model`);
    expect(again.status).toBe(404);
    expect(again.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');

    // MLflow's own view of the experiment is untouched by membership.
    expect((await root.get('/experiments/get', { experiment_id: exp })).body.experiment.name).toBe('proj-exp');
  });

  it('refuses duplicate names, bad names and unknown projects with MLflow error envelopes', async () => {
    await ok('POST', `${api()}/projects`, { name: 'dup' });
    const dup = await server.call('POST', `${api()}/projects`, { name: 'dup' });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    const other = (await ok('POST', `${api()}/projects`, { name: 'dup-2' })).project.project_id;
    const renameClash = await server.call('PATCH', `${api()}/projects/${other}`, { name: 'dup' });
    expect(renameClash.status).toBe(400);
    expect(renameClash.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');

    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(257) },
      { name: 5 },
      { name: 'ok', description: 'd'.repeat(5001) },
    ]) {
      const res = await server.call('POST', `${api()}/projects`, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    for (const [method, path, body] of [
      ['GET', '/projects/999999', undefined],
      ['PATCH', '/projects/999999', { name: 'x' }],
      ['DELETE', '/projects/999999', undefined],
      ['POST', '/projects/999999/experiments', { experiment_id: '0' }],
    ] as const) {
      const res = await server.call(method, api() + path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
    const badId = await server.call('GET', `${api()}/projects/abc`);
    expect(badId.status).toBe(400);
    expect(badId.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const unknownExp = await server.call('POST', `${api()}/projects/${other}/experiments`, { experiment_id: '987654' });
    expect(unknownExp.status).toBe(404);
    expect(unknownExp.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const noExpId = await server.call('POST', `${api()}/projects/${other}/experiments`, {});
    expect(noExpId.status).toBe(400);
  });

  it('keeps projects per workspace and refuses cross-workspace assignment', async () => {
    const local = (await ok('POST', `${api()}/projects`, { name: 'shared-name' })).project.project_id;
    const remote = (await ok('POST', `${api('other')}/projects`, { name: 'shared-name' })).project.project_id;
    expect(remote).not.toBe(local);
    expect((await ok('GET', `${api('other')}/projects`)).projects.map((p: { name: string }) => p.name)).toEqual([
      'shared-name',
    ]);
    // A project id of another workspace does not exist here.
    expect((await server.call('GET', `${api('other')}/projects/${local}`)).status).toBe(404);

    const rootExp = await mlflow(server).createExperiment('root-only');
    await createModel('root-model');
    const crossExp = await server.call('POST', `${api('other')}/projects/${remote}/experiments`, {
      experiment_id: rootExp,
    });
    expect(crossExp.status).toBe(404);
    expect(crossExp.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const crossModel = await server.call('POST', `${api('other')}/projects/${remote}/registered-models`, {
      name: 'root-model',
    });
    expect(crossModel.status).toBe(404);
    expect(crossModel.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await ok('GET', `${api('other')}/projects/${remote}`)).experiments).toEqual([]);
  });
});

describe('projects: malformed requests', () => {
  it('answers 4xx with an MLflow error envelope, never 5xx', async () => {
    const id = (await ok('POST', `${api()}/projects`, { name: 'sweep-target' })).project.project_id;
    const cases: [string, string, unknown][] = [
      ['POST', '/projects', '{not json'],
      ['POST', '/projects', '[1, 2]'],
      ['POST', '/projects', { name: { nested: true } }],
      ['POST', '/projects', { name: 'x', description: ['a'] }],
      ['PATCH', `/projects/${id}`, { name: 42 }],
      ['PATCH', `/projects/${id}`, { name: '' }],
      ['POST', `/projects/${id}/experiments`, { experiment_id: { a: 1 } }],
      ['POST', `/projects/${id}/experiments`, { experiment_id: 'abc' }],
      ['POST', `/projects/${id}/experiments`, { experiment_id: '99999999999999999999999' }],
      ['POST', `/projects/${id}/registered-models`, { name: 'no-such-model' }],
      ['DELETE', `/projects/${id}/experiments/not-a-number`, undefined],
      ['GET', `/projects/${'9'.repeat(40)}`, undefined],
      ['GET', '/search?max_results=abc&q=x', undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await server.call(method, api() + path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expect(typeof res.body.error_code, `${method} ${path}`).toBe('string');
      expect(typeof res.body.message).toBe('string');
    }
  });
});

describe('global name search', () => {
  it('finds experiments, registered models and runs by name in the current workspace only', async () => {
    const root = mlflow(server);
    const exp = await root.createExperiment('Needle experiment');
    await createModel('needle-model');
    const runId = await root.createRun(exp, { run_name: 'a NEEDLE run' });
    const other = mlflow(server, 'other');
    await other.createExperiment('needle elsewhere');

    const found = await ok('GET', `${api()}/search?q=needle`);
    expect(found.experiments).toEqual([{ experiment_id: exp, name: 'Needle experiment' }]);
    expect(found.registered_models).toEqual([{ name: 'needle-model' }]);
    expect(found.runs).toEqual([
      { run_id: runId, run_name: 'a NEEDLE run', experiment_id: exp, experiment_name: 'Needle experiment' },
    ]);
    const elsewhere = await ok('GET', `${api('other')}/search?q=needle`);
    expect(elsewhere.experiments.map((e: { name: string }) => e.name)).toEqual(['needle elsewhere']);
    expect(elsewhere.registered_models).toEqual([]);

    // LIKE wildcards in the query are literal characters.
    expect((await ok('GET', `${api()}/search?q=%25`)).experiments).toEqual([]);
    expect((await ok('GET', `${api()}/search?q=`)).experiments).toEqual([]);
    const bad = await server.call('GET', `${api()}/search?q=x&max_results=500`);
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('finds metric and param keys of the workspace’s active experiments, one hit per key and experiment', async () => {
    const root = mlflow(server);
    const sweep = await root.createExperiment('key-sweep');
    const ablation = await root.createExperiment('key-ablation');
    const gone = await root.createExperiment('key-deleted');
    for (const exp of [sweep, ablation, gone]) {
      const run = await root.createRun(exp, { run_name: 'r' });
      await root.ok('POST', '/runs/log-batch', {
        run_id: run,
        metrics: [{ key: 'val/Haystack_loss', value: 0.5, timestamp: 1, step: 0 }],
        params: [{ key: 'haystack_lr', value: '0.01' }],
        tags: [{ key: 'haystack_tag', value: 'x' }],
      });
    }
    await root.ok('POST', '/experiments/delete', { experiment_id: gone });
    const elsewhere = mlflow(server, 'other');
    const otherRun = await elsewhere.createRun(await elsewhere.createExperiment('key-other'), { run_name: 'r' });
    await elsewhere.ok('POST', '/runs/log-parameter', { run_id: otherRun, key: 'haystack_lr', value: '1' });

    const found = await ok('GET', `${api()}/search?q=HAYSTACK`);
    // Shortest keys first; tags are not offered; the deleted experiment and the other workspace are left out.
    expect(found.keys).toEqual([
      { kind: 'param', key: 'haystack_lr', experiment_id: ablation, experiment_name: 'key-ablation' },
      { kind: 'param', key: 'haystack_lr', experiment_id: sweep, experiment_name: 'key-sweep' },
      { kind: 'metric', key: 'val/Haystack_loss', experiment_id: ablation, experiment_name: 'key-ablation' },
      { kind: 'metric', key: 'val/Haystack_loss', experiment_id: sweep, experiment_name: 'key-sweep' },
    ]);
    expect((await ok('GET', `${api()}/search?q=haystack&max_results=1`)).keys).toHaveLength(1);
    expect((await ok('GET', `${api()}/search?q=`)).keys).toEqual([]);
    expect((await ok('GET', `${api()}/search?q=_`)).keys.every((k: { key: string }) => k.key.includes('_'))).toBe(true);
  });
});
