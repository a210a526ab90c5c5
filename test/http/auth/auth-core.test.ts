import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../support/server.ts';

const ADMIN = { username: 'admin', password: 'admin-pass-1' };
const basic = (u: { username: string; password: string }) => ({
  authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
});

let server: TestServer;
const alice = { username: 'alice', password: 'alice-pass-1' };
const bob = { username: 'bob', password: 'bob-pass-1' };

beforeAll(async () => {
  server = await startServer({
    config: { auth: true },
    env: { TROVE_ADMIN_USERNAME: ADMIN.username, TROVE_ADMIN_PASSWORD: ADMIN.password },
  });
  for (const u of [alice, bob]) {
    const res = await server.call('POST', '/api/2.0/mlflow/users/create', u, basic(ADMIN));
    expect(res.status).toBe(200);
  }
});
afterAll(() => server.close());

const as = (u: { username: string; password: string }) => ({
  call: (method: string, path: string, body?: unknown) => server.call(method, path, body, basic(u)),
});

describe('authentication', () => {
  it('answers 401 UNAUTHENTICATED with a Basic challenge to a request without credentials', async () => {
    const res = await server.call('POST', '/api/2.0/mlflow/experiments/search', { max_results: 10 });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="trove"');
    // The UI gets no challenge (it shows its own sign-in page, not the browser's dialog).
    const ui = await server.call('GET', '/api/2.0/mlflow/experiments/search', undefined, { 'x-trove-ui': '1' });
    expect(ui.status).toBe(401);
    expect(ui.headers.get('www-authenticate')).toBeNull();
  });

  it('answers 401 to a wrong password and to a malformed Authorization header, never falling back to anonymous', async () => {
    for (const authorization of [
      basic({ username: 'alice', password: 'wrong' }).authorization,
      basic({ username: 'nobody', password: 'x' }).authorization,
      'Basic !!!',
      'Bearer not-a-token',
      'Digest x',
    ]) {
      const res = await server.call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', undefined, {
        authorization,
      });
      expect(res.status, authorization).toBe(401);
    }
  });

  it('treats a session cookie that does not decode as no session (401), not a 500', async () => {
    const res = await server.call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', undefined, {
      cookie: 'trove_session=%',
    });
    expect(res.status).toBe(401);
  });

  it('serves health and version without credentials', async () => {
    expect((await server.call('GET', '/health')).status).toBe(200);
    expect((await server.call('GET', '/version')).status).toBe(200);
  });

  it('has no built-in admin: admin/password1234 and admin/password are refused', async () => {
    for (const password of ['password1234', 'password']) {
      const res = await server.call('GET', '/api/trove/v1/auth/me', undefined, basic({ username: 'admin', password }));
      expect(res.status).toBe(401);
    }
  });
});

describe('permissions', () => {
  it("gives an experiment's creator MANAGE, others the default READ", async () => {
    const created = await as(alice).call('POST', '/api/2.0/mlflow/experiments/create', { name: 'alice-exp' });
    expect(created.status).toBe(200);
    const id = created.body.experiment_id;
    const perm = await as(alice).call(
      'GET',
      `/api/2.0/mlflow/experiments/permissions/get?experiment_id=${id}&username=alice`,
    );
    expect(perm.body.experiment_permission).toMatchObject({ experiment_id: id, permission: 'MANAGE' });
    expect((await as(bob).call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`)).status).toBe(200);
    const rename = await as(bob).call('POST', '/api/2.0/mlflow/experiments/update', {
      experiment_id: id,
      new_name: 'bob-was-here',
    });
    expect(rename.status).toBe(403);
    expect(rename.body.error_code).toBe('PERMISSION_DENIED');
    expect((await as(bob).call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: id })).status).toBe(403);
    // EDIT lets bob log runs but still not delete the experiment (MLflow: delete needs MANAGE).
    await as(alice).call('POST', '/api/2.0/mlflow/experiments/permissions/create', {
      experiment_id: id,
      username: 'bob',
      permission: 'EDIT',
    });
    expect((await as(bob).call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: id })).status).toBe(200);
    expect((await as(bob).call('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: id })).status).toBe(403);
    expect((await as(alice).call('POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: id })).status).toBe(
      200,
    );
  });

  it('hides experiments granted NO_PERMISSIONS from search, with exact pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await as(alice).call('POST', '/api/2.0/mlflow/experiments/create', { name: `hide-${i}` });
      ids.push(res.body.experiment_id);
      if (i % 2 === 1)
        await as(alice).call('POST', '/api/2.0/mlflow/experiments/permissions/create', {
          experiment_id: res.body.experiment_id,
          username: 'bob',
          permission: 'NO_PERMISSIONS',
        });
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await as(bob).call('POST', '/api/2.0/mlflow/experiments/search', {
        filter: "name LIKE 'hide-%'",
        order_by: ['name ASC'],
        max_results: 2,
        page_token: token,
      });
      expect(page.status).toBe(200);
      const names = (page.body.experiments ?? []).map((e: { name: string }) => e.name);
      if (page.body.next_page_token) expect(names).toHaveLength(2);
      seen.push(...names);
      token = page.body.next_page_token;
    } while (token);
    expect(seen).toEqual(['hide-0', 'hide-2', 'hide-4', 'hide-6']);
    expect((await as(bob).call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${ids[1]}`)).status).toBe(403);
    // Runs of hidden experiments do not come back from runs/search either.
    await as(alice).call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: ids[1] });
    const runs = await as(bob).call('POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [ids[1]] });
    expect(runs.status).toBe(200);
    expect(runs.body.runs).toBeUndefined();
  });

  it('lets users read only their own user record, and only admins create users', async () => {
    expect((await as(alice).call('GET', '/api/2.0/mlflow/users/get?username=alice')).status).toBe(200);
    expect((await as(alice).call('GET', '/api/2.0/mlflow/users/get?username=bob')).status).toBe(403);
    const made = await as(alice).call('POST', '/api/2.0/mlflow/users/create', { username: 'mallory', password: 'x' });
    expect(made.status).toBe(403);
    expect((await server.call('POST', '/api/2.0/mlflow/users/create', { username: 'eve', password: 'x' })).status).toBe(
      401,
    );
  });

  it('grants through groups, and a workspace role decides what nobody granted', async () => {
    const call = async (path: string, body: unknown, method = 'PUT') => {
      const res = await server.call(method, path, body, basic(ADMIN));
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(200);
      return res;
    };
    expect((await call('/api/trove/v1/admin/groups', { name: 'readers' }, 'POST')).status).toBe(200);
    expect((await call('/api/trove/v1/admin/groups/readers/members', { username: 'bob' }, 'POST')).status).toBe(200);
    const exp = (await as(alice).call('POST', '/api/2.0/mlflow/experiments/create', { name: 'group-exp' })).body
      .experiment_id;
    await as(alice).call('POST', '/api/2.0/mlflow/experiments/permissions/create', {
      experiment_id: exp,
      username: 'bob',
      permission: 'NO_PERMISSIONS',
    });
    // The user's own grant wins over the group's.
    expect(
      (await call('/api/trove/v1/grants', { group: 'readers', experiment_id: exp, permission: 'EDIT' })).status,
    ).toBe(200);
    expect((await as(bob).call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=${exp}`)).status).toBe(403);
    const listed = await call(`/api/trove/v1/grants?experiment_id=${exp}`, undefined, 'GET');
    expect(listed.body.grants).toEqual([
      { kind: 'group', name: 'readers', permission: 'EDIT' },
      { kind: 'user', name: 'alice', permission: 'MANAGE' },
      { kind: 'user', name: 'bob', permission: 'NO_PERMISSIONS' },
    ]);
    await as(alice).call('DELETE', '/api/2.0/mlflow/experiments/permissions/delete', {
      experiment_id: exp,
      username: 'bob',
    });
    expect((await as(bob).call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp })).status).toBe(200);
    await call(`/api/trove/v1/grants?group=readers&experiment_id=${exp}`, undefined, 'DELETE');
    expect((await as(bob).call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp })).status).toBe(403);
    // Membership as viewer: creating experiments is refused, reading what nobody granted is allowed.
    expect((await call('/api/trove/v1/members', { username: 'bob', role: 'viewer' })).status).toBe(200);
    expect((await as(bob).call('POST', '/api/2.0/mlflow/experiments/create', { name: 'bob-exp' })).status).toBe(403);
    await call('/api/trove/v1/members?username=bob', undefined, 'DELETE');
    expect((await as(bob).call('POST', '/api/2.0/mlflow/experiments/create', { name: 'bob-exp' })).status).toBe(200);
  });
});

describe('ids past int64 in the auth API', () => {
  it('answers 4xx, never a database error', async () => {
    const big = '9'.repeat(30);
    for (const [method, path] of [
      ['DELETE', `/api/trove/v1/auth/tokens/${big}`],
      ['DELETE', '/api/trove/v1/auth/tokens/9007199254740993'],
      ['GET', `/api/trove/v1/audit?page_token=${big}`],
      ['GET', '/api/trove/v1/audit?since=9223372036854775807&until=-9223372036854775808'],
      ['GET', `/api/trove/v1/grants?experiment_id=${big}`],
      ['DELETE', `/api/trove/v1/grants?experiment_id=${big}&username=admin`],
      ['GET', `/api/2.0/mlflow/experiments/permissions/get?experiment_id=${big}&username=admin`],
    ] as const) {
      const res = await server.call(method, path, undefined, basic(ADMIN));
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBeLessThan(500);
    }
  });
});

describe('sessions', () => {
  it('signs in with a cookie, requires the CSRF token on writes, and signs out', async () => {
    const login = await server.call('POST', '/api/trove/v1/auth/login', alice);
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/trove_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    // Beside it, a marker the page's script may read (no secret in it, not HttpOnly).
    expect(setCookie).toMatch(/trove_signed_in=1; Path=\/; SameSite=Lax/);
    const cookie = setCookie.split(';')[0];
    const csrf = login.body.csrf_token as string;
    expect(login.body.user.username).toBe('alice');
    const me = await server.call('GET', '/api/trove/v1/auth/me', undefined, { cookie });
    expect(me.body).toMatchObject({ auth_enabled: true, user: { username: 'alice' }, csrf_token: csrf });
    const noCsrf = await server.call('POST', '/api/2.0/mlflow/experiments/create', { name: 'cookie-exp' }, { cookie });
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'cookie-exp' },
      { cookie, 'x-csrf-token': 'nope' },
    );
    expect(wrongCsrf.status).toBe(403);
    const ok = await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'cookie-exp' },
      { cookie, 'x-csrf-token': csrf },
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const logout = await server.call('POST', '/api/trove/v1/auth/logout', {}, { cookie, 'x-csrf-token': csrf });
    expect(logout.status).toBe(200);
    // Both cookies are cleared.
    expect(logout.headers.get('set-cookie')).toMatch(/trove_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
    expect(logout.headers.get('set-cookie')).toMatch(/trove_signed_in=; Path=\/; SameSite=Lax; Max-Age=0/);
    expect(
      (await server.call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', undefined, { cookie })).status,
    ).toBe(401);
  });

  it('refuses a wrong password at sign-in without a cookie', async () => {
    const res = await server.call('POST', '/api/trove/v1/auth/login', { username: 'alice', password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('audit log', () => {
  it('records who changed what, from where, with the request id; refused attempts too; admins only', async () => {
    const created = await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'audited' },
      { ...basic(alice), 'x-request-id': 'audit-req-1' },
    );
    const id = created.body.experiment_id;
    await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/delete',
      { experiment_id: id },
      { ...basic(bob), 'x-request-id': 'audit-req-2' },
    );
    const log = await server.call('GET', '/api/trove/v1/audit?max_results=50', undefined, basic(ADMIN));
    expect(log.status).toBe(200);
    const byRequest = (rid: string) => log.body.entries.find((e: { request_id: string }) => e.request_id === rid);
    expect(byRequest('audit-req-1')).toMatchObject({
      actor: 'alice',
      action: 'mlflow POST /experiments/create',
      status: 200,
      after: { name: 'audited' },
    });
    expect(byRequest('audit-req-1').address).toBeTruthy();
    expect(byRequest('audit-req-2')).toMatchObject({ actor: 'bob', status: 403, resource_id: id });
    // Secrets never reach the log.
    const userMade = log.body.entries.find(
      (e: { action: string; status: number }) => e.action === 'mlflow POST /users/create' && e.status === 200,
    );
    expect(userMade.after.password).toBe('[redacted]');
    expect((await server.call('GET', '/api/trove/v1/audit', undefined, basic(alice))).status).toBe(403);
    const lines = await fetch(`${server.url}/api/trove/v1/audit?format=jsonl&max_results=3`, { headers: basic(ADMIN) });
    expect(lines.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await lines.text();
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toHaveLength(3);
  });

  it('records the small values a change replaces (before) next to the request (after)', async () => {
    const id = (await as(alice).call('POST', '/api/2.0/mlflow/experiments/create', { name: 'old-name' })).body
      .experiment_id;
    await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/update',
      { experiment_id: id, new_name: 'new-name' },
      { ...basic(alice), 'x-request-id': 'rename-req' },
    );
    await as(alice).call('POST', '/api/2.0/mlflow/registered-models/create', { name: 'audited-model' });
    await as(alice).call('POST', '/api/2.0/mlflow/model-versions/create', {
      name: 'audited-model',
      source: 's3://b/m',
    });
    await server.call(
      'POST',
      '/api/2.0/mlflow/model-versions/transition-stage',
      { name: 'audited-model', version: '1', stage: 'Staging', archive_existing_versions: false },
      { ...basic(alice), 'x-request-id': 'stage-req' },
    );
    const log = await server.call('GET', '/api/trove/v1/audit?max_results=20', undefined, basic(ADMIN));
    const byRequest = (rid: string) => log.body.entries.find((e: { request_id: string }) => e.request_id === rid);
    expect(byRequest('rename-req')).toMatchObject({ before: { name: 'old-name' }, after: { new_name: 'new-name' } });
    expect(byRequest('stage-req')).toMatchObject({ before: { stage: 'None' }, after: { stage: 'Staging' } });
  });

  it('records each log-batch once, with its data or not at all (the writer puts the record in its own statement)', async () => {
    const exp = (await as(alice).call('POST', '/api/2.0/mlflow/experiments/create', { name: 'audited-batches' })).body
      .experiment_id;
    const runId = (await as(alice).call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: exp })).body.run.info
      .run_id;
    const batch = (rid: string, body: Record<string, unknown>) =>
      server.call(
        'POST',
        '/api/2.0/mlflow/runs/log-batch',
        { run_id: runId, ...body },
        { ...basic(alice), 'x-request-id': rid },
      );
    const metric = { key: 'loss', value: 0.5, timestamp: 1, step: 0 };
    expect((await batch('batch-metrics', { metrics: [metric], params: [{ key: 'lr', value: '0.1' }] })).status).toBe(
      200,
    );
    expect((await batch('batch-params', { params: [{ key: 'seed', value: '1' }] })).status).toBe(200);
    expect((await batch('batch-tags', { tags: [{ key: 't', value: 'v' }] })).status).toBe(200);
    // A param changed in the same batch as new points: refused, and neither the points nor a record remain.
    const conflict = await batch('batch-conflict', {
      metrics: [{ ...metric, step: 1 }],
      params: [{ key: 'lr', value: '0.2' }],
    });
    expect(conflict.status).toBe(400);
    const log = await server.call('GET', '/api/trove/v1/audit?max_results=200', undefined, basic(ADMIN));
    const rows = (rid: string) => log.body.entries.filter((e: { request_id: string }) => e.request_id === rid);
    for (const rid of ['batch-metrics', 'batch-params', 'batch-tags']) {
      expect(rows(rid)).toHaveLength(1);
      expect(rows(rid)[0]).toMatchObject({ actor: 'alice', action: 'mlflow POST /runs/log-batch', status: 200 });
    }
    expect(rows('batch-metrics')[0].after.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(rows('batch-conflict')).toHaveLength(0);
    const history = await as(alice).call('GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`);
    expect(history.body.metrics.map((m: { step: number }) => m.step)).toEqual([0]);
  });

  it('writes nothing for a request that failed validation', async () => {
    await server.call('POST', '/api/2.0/mlflow/experiments/create', {}, { ...basic(alice), 'x-request-id': 'bad-req' });
    const log = await server.call('GET', '/api/trove/v1/audit?max_results=200', undefined, basic(ADMIN));
    expect(log.body.entries.some((e: { request_id: string }) => e.request_id === 'bad-req')).toBe(false);
  });
});
