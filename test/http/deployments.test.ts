import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, bearer, createUser } from '../support/auth-server.ts';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';
import { startReceiver, waitFor } from '../support/webhook-receiver.ts';

// Deployments: the JSON API, the CD hook (flat JSON or a form), the list, the webhook event.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  server = await startServer({
    webhooks: { allowedSchemes: ['http'], allowPrivateIps: true, retryBaseMs: 100, pollMs: 20 },
  });
  api = mlflow(server);
  t = trove(server);
  receiver = await startReceiver('s');
  const run = await api.createRun('0');
  await api.ok('POST', '/registered-models/create', { name: 'fraud' });
  for (let i = 0; i < 2; i++)
    await api.ok('POST', '/model-versions/create', { name: 'fraud', source: `runs:/${run}/model`, run_id: run });
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('deployments', () => {
  it('records a deployment, fires a webhook, and lists the current one of each environment first', async () => {
    const hook = (
      await api.ok('POST', '/webhooks', {
        name: 'cd',
        url: receiver.url,
        secret: 's',
        events: [{ entity: 'DEPLOYMENT', action: 'CREATED' }],
      })
    ).webhook;
    const first = (await t.ok('POST', '/deployments', { name: 'fraud', version: 1, environment: 'staging' }, 'ci-bot'))
      .deployment;
    expect(first).toMatchObject({
      name: 'fraud',
      version: '1',
      environment: 'staging',
      status: 'running',
      user_id: 'ci-bot',
      current: true,
    });
    expect(first.deployment_id).toMatch(/^\d+$/);
    expect(typeof first.time).toBe('number');
    await t.ok('POST', '/deployments', {
      name: 'fraud',
      version: '2',
      environment: 'prod',
      url: 'https://fraud.example/v2',
      description: 'canary done',
    });
    await t.ok('POST', '/deployments', { name: 'fraud', version: 2, environment: 'staging', status: 'stopped' });

    const list = (await t.ok('GET', '/registered-models/fraud/deployments')).deployments;
    expect(list.map((d: any) => [d.environment, d.version, d.status, d.current])).toEqual([
      ['staging', '2', 'stopped', true],
      ['prod', '2', 'running', true],
      ['staging', '1', 'running', false],
    ]);
    expect(list[1]).toMatchObject({ url: 'https://fraud.example/v2', description: 'canary done' });

    const delivered = await waitFor(
      () => (receiver.received.length >= 3 ? receiver.received : undefined),
      15_000,
      'three deployment deliveries',
    );
    const data = delivered.map((r) => r.body).find((b) => b.data.environment === 'prod');
    expect(data).toMatchObject({
      entity: 'deployment',
      action: 'created',
      data: { name: 'fraud', version: '2', environment: 'prod', status: 'running', url: 'https://fraud.example/v2' },
    });
    expect(delivered.every((r) => r.signatureOk)).toBe(true);
    // The registry's activity log has it too.
    const activity = (await t.ok('GET', '/registered-models/fraud/activity')).events as any[];
    expect(activity.some((e) => e.entity === 'deployment' && e.action === 'created')).toBe(true);
    await api.ok('DELETE', `/webhooks/${hook.webhook_id}`);
  });

  it('the hook takes flat JSON or a form and answers 201 with the record', async () => {
    const json = await t.call('POST', '/deployments/hook', {
      model: 'fraud',
      version: '1',
      environment: 'canary',
      status: 'failed',
    });
    expect(json.status).toBe(201);
    expect(json.body.deployment).toMatchObject({
      name: 'fraud',
      version: '1',
      environment: 'canary',
      status: 'failed',
    });
    const form = await server.call(
      'POST',
      '/api/trove/v1/deployments/hook',
      'model=fraud&version=2&environment=canary&url=https%3A%2F%2Fcanary.example',
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form.status).toBe(201);
    expect(form.body.deployment).toMatchObject({
      version: '2',
      environment: 'canary',
      status: 'running',
      url: 'https://canary.example',
    });
    // Forms only where a route takes them: MLflow's endpoints still refuse them.
    const elsewhere = await server.call('POST', '/api/trove/v1/deployments', 'name=fraud&version=1&environment=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(elsewhere.status).toBe(400);
  });

  it('refuses what it cannot record', async () => {
    const bad = [
      [{ name: 'fraud', version: 9, environment: 'prod' }, 404],
      [{ name: 'nope', version: 1, environment: 'prod' }, 404],
      [{ name: 'fraud', version: 1 }, 400],
      [{ name: 'fraud', version: 1, environment: '  ' }, 400],
      [{ name: 'fraud', version: 1, environment: 'x'.repeat(200) }, 400],
      [{ name: 'fraud', version: 1, environment: 'prod', status: 'exploded' }, 400],
      [{ name: 'fraud', version: 1, environment: 'prod', url: 'javascript:alert(1)' }, 400],
      [{ name: 'fraud', version: 'one', environment: 'prod' }, 400],
    ] as const;
    for (const [body, status] of bad) {
      const res = await t.call('POST', '/deployments', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect((await t.call('GET', '/registered-models/nope/deployments')).status).toBe(404);
    const hookMissing = await t.call('POST', '/deployments/hook', { version: 1, environment: 'prod' });
    expect(hookMissing.status).toBe(400);
  });
});

describe('deployments with auth on', () => {
  let auth: TestServer;
  beforeAll(async () => {
    auth = await startServer({
      config: { auth: true },
      env: {
        TROVE_ADMIN_USERNAME: ADMIN.username,
        TROVE_ADMIN_PASSWORD: ADMIN.password,
        TROVE_AUTH_DEFAULT_ROLE: 'none',
        TROVE_AUTH_DEFAULT_PERMISSION: 'NO_PERMISSIONS',
      },
    });
  });
  afterAll(() => auth?.close());

  it('the hook authenticates with a Bearer token; reading needs read, recording needs edit', async () => {
    const admin = as(auth, basic(ADMIN));
    await admin.ok('POST', '/api/2.0/mlflow/registered-models/create', { name: 'm' });
    await admin.ok('POST', '/api/2.0/mlflow/model-versions/create', { name: 'm', source: 's3://b/m' });
    const cd = { username: 'cd', password: 'cd-pass-1' };
    const viewer = { username: 'viewer', password: 'viewer-pass-1' };
    await createUser(auth, cd, { default: 'editor' });
    await createUser(auth, viewer, { default: 'viewer' });
    const token = (await as(auth, basic(cd)).ok('POST', '/api/trove/v1/auth/tokens', { name: 'cd' })).token as string;
    const body = { model: 'm', version: '1', environment: 'prod' };
    const res = await auth.call('POST', '/api/trove/v1/deployments/hook', body, bearer(token));
    expect(res.status).toBe(201);
    expect(res.body.deployment).toMatchObject({ user_id: 'cd', environment: 'prod' });
    expect((await auth.call('POST', '/api/trove/v1/deployments/hook', body)).status).toBe(401);
    expect((await as(auth, basic(viewer)).call('POST', '/api/trove/v1/deployments/hook', body)).status).toBe(403);
    const list = await as(auth, basic(viewer)).call('GET', '/api/trove/v1/registered-models/m/deployments');
    expect(list.status).toBe(200);
    expect(list.body.deployments).toHaveLength(1);
  });
});
