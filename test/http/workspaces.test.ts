import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('workspaces', () => {
  it('lists the default workspace and creates new ones', async () => {
    const list = await server.call('GET', '/api/trove/v1/workspaces');
    expect(list.body.workspaces.map((w: { name: string }) => w.name)).toEqual(['default']);
    const created = await server.call('POST', '/api/trove/v1/workspaces', {
      name: 'team-a',
      description: 'vision team',
    });
    expect(created.status).toBe(200);
    expect(created.body.workspace).toMatchObject({ name: 'team-a', description: 'vision team' });
    expect((await server.call('POST', '/api/trove/v1/workspaces', { name: 'team-a' })).body.error_code).toBe(
      'RESOURCE_ALREADY_EXISTS',
    );
    for (const name of ['', 'Team', 'a b', '-x', 'x'.repeat(64), '../x']) {
      expect((await server.call('POST', '/api/trove/v1/workspaces', { name })).status, name).toBe(400);
    }
  });

  it('serves each workspace its own experiments under /w/<name>', async () => {
    await server.call('POST', '/api/trove/v1/workspaces', { name: 'iso' });
    const root = mlflow(server);
    const iso = mlflow(server, 'iso');
    const rootExp = await root.createExperiment('shared-name');
    const isoExp = await iso.createExperiment('shared-name');
    expect(isoExp).not.toBe(rootExp);
    expect((await iso.get('/experiments/get', { experiment_id: rootExp })).status).toBe(404);
    expect((await root.get('/experiments/get', { experiment_id: isoExp })).status).toBe(404);
    const names = (await iso.ok('POST', '/experiments/search', { max_results: 100 })).experiments.map(
      (e: { name: string }) => e.name,
    );
    expect(names.sort()).toEqual(['Default', 'shared-name']);

    // The MLflow client's default experiment "0" maps to the workspace's own Default.
    const run = (await iso.ok('POST', '/runs/create', {})).run;
    expect(run.info.experiment_id).not.toBe('0');
    expect((await root.get('/runs/get', { run_id: run.info.run_id })).status).toBe(404);
    const found = await iso.ok('POST', '/runs/search', { experiment_ids: ['0'] });
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([run.info.run_id]);
    expect((await server.call('GET', '/w/iso/ajax-api/2.0/mlflow/experiments/get?experiment_id=0')).status).toBe(200);
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for unknown workspaces', async () => {
    const res = await server.call('GET', '/w/nope/api/2.0/mlflow/experiments/get?experiment_id=0');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
