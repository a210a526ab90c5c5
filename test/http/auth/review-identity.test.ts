import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, trove } from '../../support/server.ts';

// Reviews with authentication on: the reviewer is who signed in, whatever a header or the body says;
// a requester never decides their own request; policies can name who may approve.
const ADMIN = { username: 'admin', password: 'admin-pass-1' };
type Account = { username: string; password: string };
const account = (username: string): Account => ({ username, password: `${username}-pass-1` });
const [alice, bob, carol, dave, erin, frank] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map(account);
const basic = (u: Account) => ({
  authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
});

let server: TestServer;
let runId: string;

/** A request as `u`, who also claims to be `claims` through the old "Acting as" header. */
const as = (u: Account, claims?: string) => ({
  call: (method: string, path: string, body?: unknown) =>
    server.call(method, path, body, { ...basic(u), ...(claims ? { 'x-trove-user': claims } : {}) }),
  async ok(method: string, path: string, body?: unknown) {
    const res = await this.call(method, path, body);
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  },
});
const T = '/api/trove/v1';
const M = '/api/2.0/mlflow';

/** A model of alice's with one version (alice manages it, as its creator). */
async function model(name: string): Promise<void> {
  await as(alice).ok('POST', `${M}/registered-models/create`, { name });
  await as(alice).ok('POST', `${M}/model-versions/create`, { name, source: `runs:/${runId}/model`, run_id: runId });
}
const policy = (name: string, rules: unknown[]) =>
  as(alice).call('PUT', `${T}/registered-models/${name}/review-policy`, { rules });
const request = async (name: string, body: Record<string, unknown>) =>
  (await as(alice).ok('POST', `${T}/registered-models/${name}/versions/1/requests`, body)).request;
const decide = (u: Account, name: string, id: string, verb = 'approve', claims?: string) =>
  as(u, claims).call('POST', `${T}/registered-models/${name}/requests/${id}/${verb}`, {});
const stageOf = async (name: string) =>
  (await as(alice).ok('GET', `${M}/model-versions/get?name=${name}&version=1`)).model_version.current_stage;

beforeAll(async () => {
  server = await startServer({
    config: { auth: true },
    env: { TROVE_ADMIN_USERNAME: ADMIN.username, TROVE_ADMIN_PASSWORD: ADMIN.password },
  });
  const admin = as(ADMIN);
  for (const u of [alice, bob, carol, dave, erin, frank]) await admin.ok('POST', `${M}/users/create`, u);
  await admin.ok('POST', `${T}/admin/groups`, { name: 'ml-leads' });
  await admin.ok('POST', `${T}/admin/groups/ml-leads/members`, { username: 'erin' });
  await admin.ok('PUT', `${T}/members`, { username: 'frank', role: 'manager' });
  await admin.ok('PUT', `${T}/members`, { username: 'dave', role: 'editor' });
  const exp = (await as(alice).ok('POST', `${M}/experiments/create`, { name: 'review-identity' })).experiment_id;
  runId = (await as(alice).ok('POST', `${M}/runs/create`, { experiment_id: exp })).run.info.run_id;
});
afterAll(() => server.close());

describe('reviews bound to the signed-in user', () => {
  it('makes "approve as carol, then again as bob" count once: the header names nobody', async () => {
    await model('carol-bob');
    expect((await policy('carol-bob', [{ kind: 'stage', target: 'Production', required_approvals: 2 }])).status).toBe(
      200,
    );
    // The requester is alice whatever the header claims.
    const created = (
      await as(alice, 'mallory').ok('POST', `${T}/registered-models/carol-bob/versions/1/requests`, {
        stage: 'Production',
      })
    ).request;
    expect(created.requester).toBe('alice');
    const id = created.request_id;

    expect((await decide(carol, 'carol-bob', id, 'approve', 'carol')).status).toBe(200);
    const again = await decide(carol, 'carol-bob', id, 'approve', 'bob');
    expect(again.status).toBe(200);
    expect(again.body.request.status).toBe('pending');
    expect(again.body.request.approvals.map((a: { user: string }) => a.user)).toEqual(['carol']);
    expect(await stageOf('carol-bob')).toBe('None');

    // Without credentials nobody approves, whatever the header says.
    const anonymous = await server.call(
      'POST',
      `${T}/registered-models/carol-bob/requests/${id}/approve`,
      {},
      {
        'x-trove-user': 'bob',
      },
    );
    expect(anonymous.status).toBe(401);

    const done = (await decide(bob, 'carol-bob', id)).body.request;
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a: { user: string }) => a.user)).toEqual(['carol', 'bob']);
    expect(await stageOf('carol-bob')).toBe('Production');

    const events = (await as(alice).ok('GET', `${T}/registered-models/carol-bob/activity`)).events as {
      entity: string;
      action: string;
      actor?: string;
    }[];
    expect(events.slice(0, 5).map((e) => `${e.entity}.${e.action}:${e.actor}`)).toEqual([
      'transition_request.applied:bob',
      'model_version.stage_transitioned:bob',
      'transition_request.approved:bob',
      'transition_request.approved:carol',
      'transition_request.created:alice',
    ]);
    expect(events.some((e) => e.actor === 'mallory')).toBe(false);
  });

  it('refuses the requester their own approval and rejection, even claiming another name', async () => {
    await model('self');
    const id = (await request('self', { stage: 'Staging' })).request_id;
    for (const verb of ['approve', 'reject']) {
      const res = await decide(alice, 'self', id, verb, 'bob');
      expect(res.status, verb).toBe(403);
      expect(res.body.error_code).toBe('PERMISSION_DENIED');
      expect(res.body.message).toContain("User 'alice' requested this change");
    }
    const r = (await as(alice).ok('GET', `${T}/registered-models/self/requests/${id}`)).request;
    expect(r).toMatchObject({ status: 'pending', approvals: [], rejections: [] });
  });

  it('records comments under the signed-in author', async () => {
    await model('commented');
    const c = (
      await as(carol, 'bob').ok('POST', `${T}/registered-models/commented/versions/1/comments`, { body: 'looks good' })
    ).comment;
    expect(c.author).toBe('carol');
    const events = (await as(alice).ok('GET', `${T}/registered-models/commented/activity`)).events;
    expect(events[0]).toMatchObject({ entity: 'comment', action: 'created', actor: 'carol' });
  });
});

describe('policies naming approvers', () => {
  it('takes approvals only from the groups a rule names', async () => {
    await model('grouped');
    const unknown = await policy('grouped', [
      { kind: 'stage', target: 'Production', required_approvals: 1, approver_groups: ['no-such-group'] },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("'no-such-group'");
    const rules = [{ kind: 'stage', target: 'Production', required_approvals: 1, approver_groups: ['ml-leads'] }];
    expect((await policy('grouped', rules)).status).toBe(200);
    expect((await as(bob).ok('GET', `${T}/registered-models/grouped/review-policy`)).policy.rules).toEqual(rules);

    const id = (await request('grouped', { stage: 'Production' })).request_id;
    for (const verb of ['approve', 'reject']) {
      const outsider = await decide(dave, 'grouped', id, verb, 'erin');
      expect(outsider.status, verb).toBe(403);
      expect(outsider.body.message).toContain("group 'ml-leads'");
    }
    // The refused attempts are in the audit log, under the signed-in name.
    const audit = (await as(ADMIN).ok('GET', `${T}/audit?actor=dave&max_results=20`)).entries as {
      action: string;
      status: number;
    }[];
    expect(audit.filter((e) => /requests\/:request_id\/(approve|reject)$/.test(e.action)).map((e) => e.status)).toEqual(
      [403, 403],
    );
    expect((await as(ADMIN).ok('GET', `${T}/audit?actor=erin&max_results=20`)).entries).toEqual([]);
    const pending = (await as(alice).ok('GET', `${T}/registered-models/grouped/requests/${id}`)).request;
    expect(pending).toMatchObject({ status: 'pending', approvals: [], rejections: [] });
    expect(await stageOf('grouped')).toBe('None');

    const done = (await decide(erin, 'grouped', id)).body.request;
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a: { user: string }) => a.user)).toEqual(['erin']);
    expect(await stageOf('grouped')).toBe('Production');
  });

  it('takes approvals only from users with the role a rule names, on the model or in the workspace', async () => {
    await model('roled');
    const rules = [{ kind: 'alias', target: 'champion', required_approvals: 1, approver_role: 'manager' }];
    expect((await policy('roled', rules)).status).toBe(200);
    const bad = await policy('roled', [{ kind: 'alias', target: 'x', required_approvals: 1, approver_role: 'owner' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('rules[0].approver_role');

    const id = (await request('roled', { alias: 'champion' })).request_id;
    // bob reads the model by default; dave edits as a workspace editor; an EDIT grant is no MANAGE either.
    await as(alice).ok('POST', `${M}/registered-models/permissions/create`, {
      name: 'roled',
      username: 'carol',
      permission: 'EDIT',
    });
    for (const u of [bob, dave, carol]) {
      const res = await decide(u, 'roled', id);
      expect(res.status, u.username).toBe(403);
      expect(res.body.message).toContain('at least the manager role');
    }
    // A manager's token capped at viewer is no manager.
    const token = (await as(frank).ok('POST', `${T}/auth/tokens`, { name: 'ci', role: 'viewer' })).token;
    const capped = await server.call(
      'POST',
      `${T}/registered-models/roled/requests/${id}/approve`,
      {},
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(capped.status).toBe(403);

    // frank is a workspace manager; a MANAGE grant on the model would do as well.
    const done = (await decide(frank, 'roled', id)).body.request;
    expect(done.status).toBe('approved');
    const aliases = (await as(alice).ok('GET', `${M}/registered-models/get?name=roled`)).registered_model.aliases;
    expect(aliases).toEqual([{ alias: 'champion', version: '1' }]);
  });

  it('asks an approver to meet every rule covering the change (its own and *)', async () => {
    await model('both');
    await policy('both', [
      { kind: 'stage', target: '*', required_approvals: 1, approver_groups: ['ml-leads'] },
      { kind: 'stage', target: 'Production', required_approvals: 1, approver_role: 'manager' },
    ]);
    const id = (await request('both', { stage: 'Production' })).request_id;
    expect((await decide(erin, 'both', id)).status).toBe(403); // in the group, no manager
    expect((await decide(frank, 'both', id)).status).toBe(403); // a manager, not in the group
    await as(ADMIN).ok('POST', `${T}/admin/groups/ml-leads/members`, { username: 'frank' });
    expect((await decide(frank, 'both', id)).body.request.status).toBe('approved');
  });
});

describe('with authentication off', () => {
  it('keeps the old behaviour: names from X-Trove-User, approver rules stored but not enforced', async () => {
    const open = await startServer();
    try {
      const t = trove(open);
      await open.call('POST', '/api/trove/v1/admin/groups', { name: 'ml-leads' });
      const m = (path: string, body: unknown) => open.call('POST', `/api/2.0/mlflow${path}`, body);
      expect((await m('/registered-models/create', { name: 'open' })).status).toBe(200);
      const run = (await m('/runs/create', { experiment_id: '0' })).body.run.info.run_id;
      expect(
        (await m('/model-versions/create', { name: 'open', source: `runs:/${run}/model`, run_id: run })).status,
      ).toBe(200);
      const rules = [
        { kind: 'stage', target: 'Production', required_approvals: 2, approver_groups: ['ml-leads'] },
        { kind: 'alias', target: 'champion', required_approvals: 1 },
      ];
      expect((await t.call('PUT', '/registered-models/open/review-policy', { rules }, 'alice')).status).toBe(200);
      expect((await t.ok('GET', '/registered-models/open/review-policy')).policy.rules).toEqual([rules[1], rules[0]]);
      const id = (await t.ok('POST', '/registered-models/open/versions/1/requests', { stage: 'Production' }, 'alice'))
        .request.request_id;
      expect((await t.call('POST', `/registered-models/open/requests/${id}/approve`, {}, 'alice')).status).toBe(403);
      expect((await t.ok('POST', `/registered-models/open/requests/${id}/approve`, {}, 'carol')).request.status).toBe(
        'pending',
      );
      const done = (await t.ok('POST', `/registered-models/open/requests/${id}/approve`, {}, 'bob')).request;
      expect(done.status).toBe('approved');
      expect(done.approvals.map((a: { user: string }) => a.user)).toEqual(['carol', 'bob']);
    } finally {
      await open.close();
    }
  });
});
