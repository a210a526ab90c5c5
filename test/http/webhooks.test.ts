import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

// The MLflow 3 webhook API (reference §8): CRUD, validation, paging and the test endpoint.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const SECRET = 's3cret';

beforeAll(async () => {
  server = await startServer({
    webhooks: { allowedSchemes: ['https', 'http'], allowPrivateIps: true, dispatcher: false },
  });
  api = mlflow(server);
  receiver = await startReceiver(SECRET, (_id, n) => (n === 1 ? 200 : 500));
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const MV_CREATED = { entity: 'MODEL_VERSION', action: 'CREATED' };
const noSecret = (body: unknown) => expect(JSON.stringify(body)).not.toContain(SECRET);

describe('webhooks API', () => {
  it('creates, gets, lists, updates and deletes; the secret is never returned', async () => {
    const created = await api.ok('POST', '/webhooks', {
      name: 'ci.hook-1',
      url: receiver.url,
      events: [MV_CREATED, { entity: 4, action: 1 }],
      description: 'CI',
      secret: SECRET,
    });
    noSecret(created);
    const hook = created.webhook;
    expect(hook).toMatchObject({ name: 'ci.hook-1', url: receiver.url, description: 'CI', status: 'ACTIVE' });
    expect(hook.webhook_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(hook.events).toEqual([MV_CREATED, { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' }]);
    expect(typeof hook.creation_timestamp).toBe('number');

    const got = await api.ok('GET', `/webhooks/${hook.webhook_id}`);
    noSecret(got);
    expect(got.webhook).toEqual(hook);

    const updated = (
      await api.ok('PATCH', `/webhooks/${hook.webhook_id}`, {
        status: 'DISABLED',
        events: [{ entity: 'TRANSITION_REQUEST', action: 'CREATED' }],
        name: '',
        secret: 'new-secret',
      })
    ).webhook;
    noSecret(updated);
    expect(updated).toMatchObject({
      name: 'ci.hook-1',
      status: 'DISABLED',
      events: [{ entity: 'TRANSITION_REQUEST', action: 'CREATED' }],
    });
    expect(updated.last_updated_timestamp).toBeGreaterThanOrEqual(hook.last_updated_timestamp);

    await api.ok('DELETE', `/webhooks/${hook.webhook_id}`);
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/test'],
    ]) {
      const res = await server.call(
        method,
        `${api.base}/webhooks/${hook.webhook_id}${path}`,
        method === 'GET' ? undefined : {},
      );
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('pages the listing', async () => {
    for (let i = 0; i < 5; i++)
      await api.ok('POST', '/webhooks', { name: `page-${i}`, url: receiver.url, events: [MV_CREATED] });
    const p1 = await api.ok('GET', '/webhooks?max_results=2');
    const p2 = await api.ok('GET', `/webhooks?max_results=2&page_token=${p1.next_page_token}`);
    const p3 = await api.ok('GET', `/webhooks?max_results=2&page_token=${p2.next_page_token}`);
    expect(p3.next_page_token).toBeUndefined();
    const names = [...p1.webhooks, ...p2.webhooks, ...p3.webhooks].map((w: { name: string }) => w.name);
    expect(new Set(names).size).toBe(5);
    noSecret(p1);
    for (const q of ['max_results=0', 'max_results=1001', 'page_token=bogus'])
      expect((await api.get(`/webhooks?${q}`)).status, q).toBe(400);
  });

  it('validates name, URL and events as MLflow does', async () => {
    const base = { name: 'ok', url: receiver.url, events: [MV_CREATED] };
    const bad: Record<string, unknown>[] = [
      { name: '' },
      { name: '-starts-with-dash' },
      { name: 'ends.' },
      { name: 'has space' },
      { name: 'x'.repeat(64) },
      { url: 'ftp://example.com/hook' },
      { url: 'not a url' },
      { url: 'https://user:pw@example.com/hook' },
      { events: [] },
      { events: [{ entity: 'MODEL_VERSION', action: 'SET' }] },
      { events: [{ entity: 'REGISTERED_MODEL', action: 'DELETED' }] },
      { events: [{ entity: 'MODEL', action: 'CREATED' }] },
      { events: [{ entity: 'RUN' }] },
      { events: ['MODEL_VERSION.CREATED'] },
      { status: 'PAUSED' },
    ];
    for (const patch of bad) {
      const res = await api.post('/webhooks', { ...base, ...patch });
      expect(res.status, JSON.stringify(patch)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(
      (
        await api.ok('POST', '/webhooks', {
          ...base,
          name: 'a',
          url: 'https://example.com/h',
          events: [
            { entity: 'RUN', action: 'FAILED' },
            { entity: 'comment', action: 'created' },
          ],
        })
      ).webhook.events,
    ).toEqual([
      { entity: 'COMMENT', action: 'CREATED' },
      { entity: 'RUN', action: 'FAILED' },
    ]);
  });

  it('refuses http URLs unless MLFLOW_WEBHOOK_ALLOWED_SCHEMES allows them', async () => {
    const strict = await startServer();
    try {
      const res = await mlflow(strict).post('/webhooks', { name: 'local', url: receiver.url, events: [MV_CREATED] });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('MLFLOW_WEBHOOK_ALLOWED_SCHEMES');
      expect(
        (
          await mlflow(strict).post('/webhooks', {
            name: 'remote',
            url: 'https://ci.example.com/hook',
            events: [MV_CREATED],
          })
        ).status,
      ).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('test sends a signed sample payload and reports the answer', async () => {
    const hook = (
      await api.ok('POST', '/webhooks', { name: 'tester', url: receiver.url, events: [MV_CREATED], secret: SECRET })
    ).webhook;
    const ok = (await api.ok('POST', `/webhooks/${hook.webhook_id}/test`, {})).result;
    expect(ok).toEqual({ success: true, response_status: 200, response_body: 'ok' });
    const sample = receiver.received.at(-1);
    expect(sample?.signatureOk).toBe(true);
    expect(sample?.body).toMatchObject({
      entity: 'model_version',
      action: 'created',
      data: { name: 'example_model', version: '1' },
    });
    expect(Number(sample?.timestamp)).toBeGreaterThan(1_600_000_000);

    const trove = (
      await api.ok('POST', `/webhooks/${hook.webhook_id}/test`, {
        event: { entity: 'TRANSITION_REQUEST', action: 'APPROVED' },
      })
    ).result;
    expect(trove.success).toBe(true);
    expect(receiver.received.at(-1)?.body).toMatchObject({ entity: 'transition_request', action: 'approved' });
    expect(
      (await api.post(`/webhooks/${hook.webhook_id}/test`, { event: { entity: 'RUN', action: 'CREATED' } })).status,
    ).toBe(400);

    const down = (
      await api.ok('POST', '/webhooks', { name: 'down', url: 'http://127.0.0.1:9/hook', events: [MV_CREATED] })
    ).webhook;
    const failed = (await api.ok('POST', `/webhooks/${down.webhook_id}/test`, {})).result;
    expect(failed.success).toBe(false);
    expect(failed.error_message).toMatch(/^Failed to test webhook: /);
  });

  it('blocks loopback and private targets unless MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS is set', async () => {
    const guarded = await startServer({ webhooks: { allowedSchemes: ['http', 'https'], dispatcher: false } });
    try {
      const g = mlflow(guarded);
      for (const url of [
        receiver.url,
        receiver.url.replace('127.0.0.1', 'localhost'),
        'http://169.254.169.254/latest',
        'http://[::1]:9/x',
      ]) {
        const hook = (await g.ok('POST', '/webhooks', { name: 'internal', url, events: [MV_CREATED] })).webhook;
        const r = (await g.ok('POST', `/webhooks/${hook.webhook_id}/test`, {})).result;
        expect(r.success, url).toBe(false);
        expect(r.error_message, url).toContain('blocked');
      }
    } finally {
      await guarded.close();
    }
  });
});
