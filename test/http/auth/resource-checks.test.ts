import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, type Credentials, createUser, startAuthServer } from '../../support/auth-server.ts';
import type { TestServer } from '../../support/server.ts';

/**
 * Where a handler touches more than the one resource its route's access names: lists that must be
 * filtered, documents owned by someone, requests that copy another resource. Non-members get no
 * workspace role and no permission here (`TROVE_AUTH_DEFAULT_ROLE=none`,
 * `TROVE_AUTH_DEFAULT_PERMISSION=NO_PERMISSIONS`); bob is an editor who may not read `secret` nor
 * `findme-closed`.
 */

const M = '/api/2.0/mlflow';
const T = '/api/trove/v1';
const user = (name: string): Credentials => ({ username: name, password: `${name}-pass-1` });
const [alice, bob, carol, manny, vera, olga] = ['alice', 'bob', 'carol', 'manny', 'vera', 'olga'].map(user);

let server: TestServer;
let shared: string;
let secret: string;
let sharedRun: string;
let secretRun: string;
let secretLoggedModel: string;

const api = (who: Credentials) => as(server, basic(who));
const noAccess = async (who: Credentials, body: Record<string, string>, by = alice) =>
  api(by).ok('POST', `${M}/${body.name ? 'registered-models' : 'experiments'}/permissions/create`, {
    ...body,
    username: who.username,
    permission: 'NO_PERMISSIONS',
  });

beforeAll(async () => {
  server = await startAuthServer({
    env: { TROVE_AUTH_DEFAULT_ROLE: 'none', TROVE_AUTH_DEFAULT_PERMISSION: 'NO_PERMISSIONS' },
  });
  await api(ADMIN).ok('POST', `${T}/workspaces`, { name: 'other' });
  for (const who of [alice, bob, carol]) await createUser(server, who, { default: 'editor' });
  await createUser(server, manny, { default: 'manager' });
  await createUser(server, vera, { default: 'viewer' });
  await createUser(server, olga, { other: 'admin' });
  const a = api(alice);
  shared = (await a.ok('POST', `${M}/experiments/create`, { name: 'findme-shared' })).experiment_id;
  secret = (await a.ok('POST', `${M}/experiments/create`, { name: 'findme-secret' })).experiment_id;
  await noAccess(bob, { experiment_id: secret });
  const run = async (experimentId: string, runName: string) =>
    (await a.ok('POST', `${M}/runs/create`, { experiment_id: experimentId, run_name: runName })).run.info.run_id;
  sharedRun = await run(shared, 'findme-run-shared');
  secretRun = await run(secret, 'findme-run-secret');
  for (const name of ['findme-open', 'findme-closed']) await a.ok('POST', `${M}/registered-models/create`, { name });
  await noAccess(bob, { name: 'findme-closed' });
  await a.ok('POST', `${M}/model-versions/create`, { name: 'findme-closed', source: `runs:/${sharedRun}/m` });
  await a.ok('POST', `${M}/model-versions/create`, { name: 'findme-open', source: `runs:/${sharedRun}/m` });
  // Version 2 of the open model comes from a run bob may not read.
  await a.ok('POST', `${M}/model-versions/create`, {
    name: 'findme-open',
    source: `runs:/${secretRun}/m`,
    run_id: secretRun,
  });
  secretLoggedModel = (await a.ok('POST', `${M}/logged-models`, { experiment_id: secret, name: 'lm' })).model.info
    .model_id;
});
afterAll(() => server?.close());

describe('lists are filtered to what the caller may read', () => {
  it("the UI's name search leaves out experiments, runs and models the caller cannot read", async () => {
    const found = async (who: Credentials) => {
      const r = await api(who).ok('GET', `${T}/search?q=findme`);
      return {
        experiments: r.experiments.map((e: { name: string }) => e.name).sort(),
        runs: r.runs.map((e: { run_name: string }) => e.run_name).sort(),
        models: r.registered_models.map((m: { name: string }) => m.name).sort(),
      };
    };
    expect(await found(alice)).toEqual({
      experiments: ['findme-secret', 'findme-shared'],
      runs: ['findme-run-secret', 'findme-run-shared'],
      models: ['findme-closed', 'findme-open'],
    });
    expect(await found(bob)).toEqual({
      experiments: ['findme-shared'],
      runs: ['findme-run-shared'],
      models: ['findme-open'],
    });
    // Outside the workspace: nothing, not even names.
    expect(await found(olga)).toEqual({ experiments: [], runs: [], models: [] });
  });

  it("the name search's metric and param keys come only from experiments the caller may read", async () => {
    const a = api(alice);
    for (const [runId, value] of [
      [sharedRun, 1],
      [secretRun, 2],
    ] as const) {
      await a.ok('POST', `${M}/runs/log-metric`, { run_id: runId, key: 'findme_loss', value, timestamp: 1, step: 0 });
      await a.ok('POST', `${M}/runs/log-parameter`, { run_id: runId, key: 'findme_lr', value: '0.1' });
    }
    const keys = async (who: Credentials) =>
      (await api(who).ok('GET', `${T}/search?q=findme_`)).keys
        .map(
          (k: { kind: string; key: string; experiment_name: string }) => `${k.kind} ${k.key} in ${k.experiment_name}`,
        )
        .sort();
    expect(await keys(alice)).toEqual([
      'metric findme_loss in findme-secret',
      'metric findme_loss in findme-shared',
      'param findme_lr in findme-secret',
      'param findme_lr in findme-shared',
    ]);
    expect(await keys(bob)).toEqual(['metric findme_loss in findme-shared', 'param findme_lr in findme-shared']);
    expect(await keys(olga)).toEqual([]);
  });

  it("a project lists only the caller's readable experiments and models; filing in one needs the workspace's update level", async () => {
    const project = (await api(alice).ok('POST', `${T}/projects`, { name: 'p' })).project;
    const P = `${T}/projects/${project.project_id}`;
    for (const id of [shared, secret]) await api(alice).ok('POST', `${P}/experiments`, { experiment_id: id });
    for (const name of ['findme-open', 'findme-closed'])
      await api(alice).ok('POST', `${P}/registered-models`, { name });
    const seen = async (who: Credentials) => {
      const r = await api(who).ok('GET', P);
      return [
        r.experiments.map((e: { name: string }) => e.name).sort(),
        r.registered_models.map((m: any) => m.name).sort(),
      ];
    };
    expect(await seen(alice)).toEqual([
      ['findme-secret', 'findme-shared'],
      ['findme-closed', 'findme-open'],
    ]);
    expect(await seen(bob)).toEqual([['findme-shared'], ['findme-open']]);
    // A viewer reads the experiment but may not change the project.
    const filed = await api(vera).call('POST', `${P}/experiments`, { experiment_id: shared });
    expect([filed.status, filed.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await api(vera).call('POST', `${P}/registered-models`, { name: 'findme-open' })).status).toBe(403);
  });

  it("a model version's page leaves out its run when the caller cannot read the run's experiment", async () => {
    const page = `${T}/registered-models/findme-open/versions/2`;
    const full = await api(alice).ok('GET', page);
    expect(full.run.info.run_id).toBe(secretRun);
    expect(full.lineage.run.run_id).toBe(secretRun);
    const narrowed = await api(bob).ok('GET', page);
    expect(narrowed.model_version).toMatchObject({ name: 'findme-open', version: '2' });
    expect(narrowed.run).toBeUndefined();
    expect(narrowed.lineage.run).toBeUndefined();
    expect(narrowed.datasets).toEqual([]);
  });

  it('the workspace list shows the workspaces the caller has a role in', async () => {
    const names = async (who: Credentials) =>
      (await api(who).ok('GET', `${T}/workspaces`)).workspaces.map((w: { name: string }) => w.name).sort();
    expect(await names(ADMIN)).toEqual(['default', 'other']);
    expect(await names(bob)).toEqual(['default']);
    expect(await names(olga)).toEqual(['other']);
    expect((await api(olga).call('GET', `${T}/workspaces/default`)).status).toBe(404);
    expect((await api(olga).call('GET', `${T}/workspaces/other`)).status).toBe(200);
  });
});

describe('documents with an owner', () => {
  it('a comment is changed by its author or a workspace manager, who must still read what it hangs on', async () => {
    const C = `${T}/runs/${sharedRun}/comments`;
    const id = (await api(bob).ok('POST', C, { body: 'mine' })).comment.comment_id;
    const edit = (who: Credentials, body: string) => api(who).call('PATCH', `${T}/comments/${id}`, { body });
    const foreign = await edit(carol, 'hijack');
    expect([foreign.status, foreign.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await api(carol).call('DELETE', `${T}/comments/${id}`)).status).toBe(403);
    expect((await edit(bob, 'mine, edited')).body.comment).toMatchObject({ author: 'bob', body: 'mine, edited' });
    // A manager moderates; the comment stays bob's.
    expect((await edit(manny, '[removed]')).body.comment).toMatchObject({ author: 'bob', body: '[removed]' });
    // Once bob may no longer read the run, his own comment is out of his reach too.
    const lost = (await api(alice).ok('POST', `${M}/experiments/create`, { name: 'lost' })).experiment_id;
    const lostRun = (await api(alice).ok('POST', `${M}/runs/create`, { experiment_id: lost })).run.info.run_id;
    const own = (await api(bob).ok('POST', `${T}/runs/${lostRun}/comments`, { body: 'before' })).comment.comment_id;
    await noAccess(bob, { experiment_id: lost });
    expect((await api(bob).call('PATCH', `${T}/comments/${own}`, { body: 'after' })).status).toBe(403);
    expect((await api(manny).call('DELETE', `${T}/comments/${own}`)).status).toBe(200);
  });

  it('a saved view is read with its experiment, and changed by its owner or a manager who may edit the experiment', async () => {
    const state = { version: 1 };
    const hidden = (await api(alice).ok('POST', `${T}/experiments/${secret}/views`, { name: 'h', state })).view.view_id;
    const denied = await api(bob).call('GET', `${T}/views/${hidden}`);
    expect([denied.status, denied.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await api(bob).call('DELETE', `${T}/views/${hidden}`)).status).toBe(403);

    const open = (await api(alice).ok('POST', `${T}/experiments/${shared}/views`, { name: 'o', state })).view.view_id;
    expect((await api(bob).ok('GET', `${T}/views/${open}`)).view.owner).toBe('alice');
    expect((await api(carol).call('PATCH', `${T}/views/${open}`, { name: 'mine now' })).status).toBe(403);
    expect((await api(vera).call('PATCH', `${T}/views/${open}`, { name: 'mine now' })).status).toBe(403);
    expect((await api(manny).ok('PATCH', `${T}/views/${open}`, { name: 'tidied' })).view).toMatchObject({
      name: 'tidied',
      owner: 'alice',
    });
    expect((await api(alice).call('DELETE', `${T}/views/${open}`)).status).toBe(200);
  });
});

describe('requests that reach a second resource', () => {
  it('model-versions/create reads what its source copies: a run, a logged model or a model version', async () => {
    const b = api(bob);
    await b.ok('POST', `${M}/registered-models/create`, { name: 'bobs-model' });
    const create = (body: Record<string, string>) =>
      b.call('POST', `${M}/model-versions/create`, { name: 'bobs-model', ...body });
    const refused: Record<string, string>[] = [
      { source: `runs:/${secretRun}/m` },
      { source: `runs:/${sharedRun}/m`, run_id: secretRun },
      { source: 'models:/findme-closed/1' },
      { source: 'models:/findme-closed@champion' },
      { source: `models:/${secretLoggedModel}` },
      { source: `runs:/${sharedRun}/m`, model_id: secretLoggedModel },
    ];
    for (const body of refused) {
      const res = await create(body);
      expect([JSON.stringify(body), res.status, res.body.error_code]).toEqual([
        JSON.stringify(body),
        403,
        'PERMISSION_DENIED',
      ]);
    }
    expect((await create({ source: `runs:/${sharedRun}/m`, run_id: sharedRun })).status).toBe(200);
    expect((await create({ source: 'models:/findme-open/1' })).status).toBe(200);
  });

  it('a logged model may name as its source only a run the caller may read', async () => {
    const create = (runId: string) =>
      api(bob).call('POST', `${M}/logged-models`, { experiment_id: shared, name: 'lm', source_run_id: runId });
    expect((await create(secretRun)).status).toBe(403);
    expect((await create(sharedRun)).status).toBe(200);
  });

  it('runs/create without an experiment id is checked on the Default experiment, where it lands', async () => {
    await noAccess(bob, { experiment_id: '0' }, ADMIN);
    const res = await api(bob).call('POST', `${M}/runs/create`, { start_time: Date.now() });
    expect([res.status, res.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await api(carol).call('POST', `${M}/runs/create`, { start_time: Date.now() })).status).toBe(200);
  });

  it('a request naming no experiment needs the workspace: tag keys across all experiments', async () => {
    expect((await api(olga).call('GET', `${T}/run-tags`)).status).toBe(403);
    expect((await api(bob).call('GET', `${T}/run-tags`)).status).toBe(200);
  });

  it('a prompt-lab run is checked on its experiment', async () => {
    const res = await api(bob).call('POST', `${M}/runs/create-promptlab-run`, {
      experiment_id: secret,
      prompt_template: 'x',
      model_route: 'r',
      model_input: 'i',
      mlflow_version: '2.17.0',
    });
    expect([res.status, res.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
  });

  it("MLflow's permission API in one workspace cannot grant an experiment of another", async () => {
    const res = await api(olga).call('POST', `/w/other${M}/experiments/permissions/create`, {
      experiment_id: secret,
      username: 'olga',
      permission: 'MANAGE',
    });
    expect([res.status, res.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    expect((await api(olga).call('GET', `${M}/experiments/get?experiment_id=${secret}`)).status).toBe(403);
    // Its own experiments it grants as before.
    const own = (await api(olga).ok('POST', `/w/other${M}/experiments/create`, { name: 'o' })).experiment_id;
    expect(
      (
        await api(olga).call('POST', `/w/other${M}/experiments/permissions/create`, {
          experiment_id: own,
          username: 'bob',
          permission: 'READ',
        })
      ).status,
    ).toBe(200);
  });
});
