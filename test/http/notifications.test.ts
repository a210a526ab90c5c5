import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';
import { openSse } from '../support/sse-client.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let experimentId: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
  experimentId = await api.createExperiment('notify-exp');
});
afterAll(() => server.close());

const as = (user: string) => ({
  ok: (method: string, path: string, body?: unknown) => t.ok(method, path, body, user),
  call: (method: string, path: string, body?: unknown) => t.call(method, path, body, user),
});
const inbox = async (user: string, query = '') => (await as(user).ok('GET', `/notifications${query}`)).notifications;
const unread = async (user: string) => (await as(user).ok('GET', '/notifications/unread-count')).unread;

/** A model with `versions` versions, created (and so owned) by `owner`. */
async function model(name: string, owner: string, versions = 1): Promise<string> {
  const runId = await api.createRun(experimentId);
  const mcall = (path: string, body: unknown) =>
    server.call('POST', `/api/2.0/mlflow${path}`, body, { 'x-trove-user': owner });
  expect((await mcall('/registered-models/create', { name })).status).toBe(200);
  for (let i = 0; i < versions; i++)
    expect(
      (await mcall('/model-versions/create', { name, source: `runs:/${runId}/model`, run_id: runId })).status,
    ).toBe(200);
  return runId;
}

describe('watches', () => {
  it('watch, status, list and unwatch an experiment, a run and a model', async () => {
    await model('watched-model', 'owner');
    const runId = await api.createRun(experimentId);
    const w = as('wendy');
    for (const target of [{ experiment_id: experimentId }, { run_id: runId }, { name: 'watched-model' }]) {
      expect((await w.ok('PUT', '/watches', target)).watching).toBe(true);
      expect((await w.ok('PUT', '/watches', target)).watching).toBe(true); // twice is once
      const q = new URLSearchParams(target as unknown as Record<string, string>).toString();
      expect((await w.ok('GET', `/watches/status?${q}`)).watching).toBe(true);
    }
    const list = (await w.ok('GET', '/watches')).watches;
    expect(list.map((x: { target_type: string }) => x.target_type).sort()).toEqual(['experiment', 'model', 'run']);
    expect(list.find((x: { target_type: string }) => x.target_type === 'model')).toMatchObject({
      target_id: 'watched-model',
      label: 'watched-model',
    });
    expect((await w.ok('DELETE', '/watches?name=watched-model')).watching).toBe(false);
    expect((await w.ok('GET', '/watches/status?name=watched-model')).watching).toBe(false);
    expect((await as('other').ok('GET', '/watches')).watches).toEqual([]);
  });

  it('refuses no target, two targets, an unknown one, and anonymous callers', async () => {
    expect((await as('wendy').call('PUT', '/watches', {})).status).toBe(400);
    expect((await as('wendy').call('PUT', '/watches', { experiment_id: experimentId, name: 'x' })).status).toBe(400);
    expect((await as('wendy').call('PUT', '/watches', { name: 'no-such-model' })).status).toBe(404);
    for (const [method, path] of [
      ['PUT', '/watches'],
      ['GET', '/watches'],
      ['GET', '/notifications'],
      ['GET', '/notifications/unread-count'],
      ['POST', '/notifications/read'],
      ['GET', '/me/notification-preferences'],
    ])
      expect(
        (await t.call(method, path, method === 'GET' ? undefined : { name: 'watched-model', all: true })).status,
        path,
      ).toBe(401);
  });
});

describe('fan-out', () => {
  it('a watcher of a model gets an inbox row for a stage change; the actor does not', async () => {
    await model('stage-model', 'owner', 2);
    await as('watcher').ok('PUT', '/watches', { name: 'stage-model' });
    await as('mover').ok('PUT', '/watches', { name: 'stage-model' });
    const before = await unread('watcher');
    const res = await server.call(
      'POST',
      '/api/2.0/mlflow/model-versions/transition-stage',
      { name: 'stage-model', version: '2', stage: 'Staging', archive_existing_versions: false },
      { 'x-trove-user': 'mover' },
    );
    expect(res.status).toBe(200);
    expect(await unread('watcher')).toBe(before + 1);
    const [n] = await inbox('watcher');
    expect(n).toMatchObject({ kind: 'stage_alias', actor: 'mover', read: false, workspace: 'default' });
    expect(n.title).toContain('stage-model v2 moved to Staging');
    expect(n.link).toBe('/models/stage-model/versions/2');
    expect((await inbox('mover')).filter((x: { kind: string }) => x.kind === 'stage_alias')).toEqual([]);
  });

  it('a review request reaches the model owner and watchers; the decision reaches the requester', async () => {
    await model('review-model', 'owner', 2);
    await as('alice').ok('PUT', '/registered-models/review-model/review-policy', {
      rules: [{ kind: 'stage', target: 'Production', required_approvals: 1 }],
    });
    await as('rita').ok('PUT', '/watches', { name: 'review-model' });
    const id = (
      await as('requester').ok('POST', '/registered-models/review-model/versions/1/requests', {
        stage: 'Production',
        comment: 'ship it',
      })
    ).request.request_id;
    for (const user of ['owner', 'rita']) {
      const n = (await inbox(user)).find((x: { kind: string }) => x.kind === 'review_requested');
      expect(n, user).toMatchObject({
        actor: 'requester',
        body: 'ship it',
        link: `/models/review-model#request-${id}`,
      });
    }
    expect((await inbox('requester')).some((x: { kind: string }) => x.kind === 'review_requested')).toBe(false);
    await as('owner').ok('POST', `/registered-models/review-model/requests/${id}/approve`, {});
    const decided = (await inbox('requester')).find((x: { kind: string }) => x.kind === 'review_decided');
    expect(decided.title).toContain('approved and applied');
  });

  it('@mentions in a comment notify the users named, not inside code, not unknown names', async () => {
    await model('mention-model', 'owner');
    await as('bob').ok('PUT', '/watches', { experiment_id: experimentId }); // bob is known
    await as('carol').ok('PUT', '/me/notification-preferences', { email: 'carol@example.com' }); // so is carol
    await as('dave').ok('POST', '/registered-models/mention-model/versions/1/comments', {
      body: 'Hey @bob, see `@carol` and @nobody-here. Also @dave.',
    });
    const bob = (await inbox('bob')).find((x: { kind: string }) => x.kind === 'mention');
    expect(bob).toMatchObject({ actor: 'dave', link: '/models/mention-model/versions/1' });
    expect((await inbox('carol')).some((x: { kind: string }) => x.kind === 'mention')).toBe(false);
    expect((await inbox('dave')).some((x: { kind: string }) => x.kind === 'mention')).toBe(false);
  });

  it('a failed run notifies its owner and the watchers of its experiment', async () => {
    const runId = await api.createRun(experimentId, { user_id: 'runner' });
    await as('expwatch').ok('PUT', '/watches', { experiment_id: experimentId });
    await api.ok('POST', '/runs/update', { run_id: runId, status: 'FAILED' });
    for (const user of ['runner', 'expwatch']) {
      const n = (await inbox(user)).find((x: { kind: string; link: string }) => x.kind === 'run_failed');
      expect(n, user).toBeDefined();
      expect(n.link).toBe(`/experiments/${experimentId}/runs/${runId}`);
    }
  });

  it('respects preferences: an inbox turned off for a kind stores nothing there', async () => {
    await model('pref-model', 'owner', 2);
    await as('quiet').ok('PUT', '/watches', { name: 'pref-model' });
    const prefs = await as('quiet').ok('PUT', '/me/notification-preferences', {
      preferences: [{ kind: 'stage_alias', channel: 'inbox', enabled: false }],
    });
    expect(prefs.preferences).toContainEqual({ kind: 'stage_alias', channel: 'inbox', enabled: false });
    expect(prefs.preferences).toContainEqual({ kind: 'review_requested', channel: 'email', enabled: true });
    expect(prefs.preferences).toContainEqual({ kind: 'stage_alias', channel: 'email', enabled: false });
    const before = await unread('quiet');
    await api.ok('POST', '/registered-models/alias', { name: 'pref-model', alias: 'champion', version: '2' });
    expect(await unread('quiet')).toBe(before);
    await api.ok('POST', '/model-versions/create', { name: 'pref-model', source: 'models:/pref-model/1' });
    expect(await unread('quiet')).toBe(before + 1); // new_version is still on
  });

  it("an inbox notification reaches the user's open pages on the live stream (user:<name>)", async () => {
    await model('live-model', 'owner');
    await as('livewatch').ok('PUT', '/watches', { name: 'live-model' });
    const sse = await openSse(`${server.url}/api/trove/v1/events?topic=${encodeURIComponent('user:livewatch')}`, {
      'x-trove-user': 'livewatch',
    });
    try {
      expect(sse.status).toBe(200);
      await sse.next('ready');
      await api.ok('POST', '/registered-models/alias', { name: 'live-model', alias: 'prod', version: '1' });
      expect((await sse.next('notification')).data).toMatchObject({
        kind: 'stage_alias',
        link: '/models/live-model',
      });
    } finally {
      sse.close();
    }
  });

  it('a deployment of a watched model notifies its watchers', async () => {
    await model('deployed-model', 'owner');
    await as('opswatch').ok('PUT', '/watches', { name: 'deployed-model' });
    await as('deployer').ok('POST', '/deployments', { name: 'deployed-model', version: '1', environment: 'prod' });
    const n = (await inbox('opswatch')).find((x: { kind: string }) => x.kind === 'deployment');
    expect(n).toMatchObject({ actor: 'deployer', title: 'deployed-model v1 deployed to prod (running)' });
  });

  it('unknown entities notify nobody', async () => {
    const before = await unread('wendy');
    await api.ok('POST', '/registered-models/set-tag', { name: 'watched-model', key: 'k', value: 'v' });
    expect(await unread('wendy')).toBe(before);
  });
});

describe('inbox', () => {
  it('pages, filters unread, marks read by id and all', async () => {
    await model('inbox-model', 'owner', 1);
    await as('reader').ok('PUT', '/watches', { name: 'inbox-model' });
    for (let i = 0; i < 5; i++)
      await api.ok('POST', '/registered-models/alias', { name: 'inbox-model', alias: `a${i}`, version: '1' });
    expect(await unread('reader')).toBe(5);
    const first = await as('reader').ok('GET', '/notifications?max_results=2');
    expect(first.notifications).toHaveLength(2);
    const second = await as('reader').ok('GET', `/notifications?max_results=2&page_token=${first.next_page_token}`);
    expect(second.notifications).toHaveLength(2);
    expect(Number(second.notifications[0].id)).toBeLessThan(Number(first.notifications[1].id));
    const marked = await as('reader').ok('POST', '/notifications/read', { ids: [first.notifications[0].id] });
    expect(marked).toEqual({ marked: 1, unread: 4 });
    expect(await inbox('reader', '?unread=1')).toHaveLength(4);
    // Someone else cannot mark my notifications.
    expect((await as('intruder').ok('POST', '/notifications/read', { ids: [first.notifications[1].id] })).marked).toBe(
      0,
    );
    expect((await as('reader').ok('POST', '/notifications/read', { all: true })).unread).toBe(0);
    expect(await inbox('reader', '?unread=1')).toEqual([]);
    expect((await as('reader').call('POST', '/notifications/read', {})).status).toBe(400);
    expect((await as('reader').call('GET', '/notifications?page_token=zz')).status).toBe(400);
  });
});

describe('settings', () => {
  it('stores an email address and webhook URLs (never echoed), and validates them', async () => {
    const s = as('settler');
    expect((await s.call('PUT', '/me/notification-preferences', { email: 'not-an-email' })).status).toBe(400);
    expect((await s.call('PUT', '/me/notification-preferences', { slack_url: 'ftp://x' })).status).toBe(400);
    expect(
      (
        await s.call('PUT', '/me/notification-preferences', {
          preferences: [{ kind: 'nope', channel: 'inbox', enabled: true }],
        })
      ).status,
    ).toBe(400);
    const got = await s.ok('PUT', '/me/notification-preferences', {
      email: 's@example.com',
      slack_url: 'https://hooks.slack.com/services/T/B/X',
    });
    expect(got).toMatchObject({ email: 's@example.com', slack_configured: true, teams_configured: false });
    expect(JSON.stringify(got)).not.toContain('hooks.slack.com');
    expect(got.email_available).toBe(false);
    // No SMTP on this server: the test action says so, as a client error.
    expect((await s.call('POST', '/me/notification-preferences/test', { channel: 'email' })).status).toBe(400);
    expect((await s.ok('PUT', '/me/notification-preferences', { slack_url: '' })).slack_configured).toBe(false);
  });
});
