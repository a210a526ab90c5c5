import { encryptWebhookSecrets, parseServerConfig } from '@trove/server';
import { replaceWebhookSecret } from '@trove/store';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../support/server.ts';
import { startReceiver, waitFor } from '../../support/webhook-receiver.ts';

// Webhook secrets encrypted at rest with TROVE_SECRET_KEY; deliveries signed with the secret as given.
const KEY = Buffer.alloc(32, 42).toString('base64');
const DELIVERY = { allowedSchemes: ['http', 'https'], allowPrivateIps: true, pollMs: 20 };

const servers: TestServer[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(env: NodeJS.ProcessEnv, lines?: string[]): Promise<TestServer> {
  const logger = lines && { level: 'warn', stream: { write: (l: string) => lines.push(l) } };
  const server = await startServer({ env, webhooks: DELIVERY, logger });
  servers.push(server);
  return server;
}

const storedSecrets = (server: TestServer) =>
  server.store.db.selectFrom('webhooks').select(['webhook_id', 'secret']).execute();

async function hookTo(server: TestServer, secret: string) {
  const receiver = await startReceiver(secret);
  closers.push(receiver.close);
  const res = await server.call('POST', '/api/2.0/mlflow/webhooks', {
    name: 'signed',
    url: receiver.url,
    events: [{ entity: 'REGISTERED_MODEL', action: 'CREATED' }],
    secret,
  });
  expect(res.status).toBe(200);
  return { receiver, id: res.body.webhook.webhook_id as string };
}

async function delivered(server: TestServer, receiver: Awaited<ReturnType<typeof startReceiver>>, model: string) {
  expect((await server.call('POST', '/api/2.0/mlflow/registered-models/create', { name: model })).status).toBe(200);
  return waitFor(() => receiver.received.find((r) => r.body.data.name === model), 10_000, `delivery for ${model}`);
}

describe('webhook secrets at rest', () => {
  it('stores secrets sealed with TROVE_SECRET_KEY and signs deliveries with the secret as given', async () => {
    const server = await start({ TROVE_SECRET_KEY: KEY });
    const { receiver, id } = await hookTo(server, 'shh-signing-secret');
    const [row] = await storedSecrets(server);
    expect(row.webhook_id).toBe(id);
    expect(row.secret).toMatch(/^enc:v1:/);
    expect(row.secret).not.toContain('shh-signing-secret');
    // The API never shows a secret, sealed or not.
    expect(JSON.stringify((await server.call('GET', `/api/2.0/mlflow/webhooks/${id}`)).body)).not.toContain('enc:v1');

    expect((await delivered(server, receiver, 'sealed-model')).signatureOk).toBe(true);
    const test = await server.call('POST', `/api/2.0/mlflow/webhooks/${id}/test`, {});
    expect(test.body.result.success).toBe(true);
    expect(receiver.received.every((r) => r.signatureOk)).toBe(true);
  });

  it('keeps signing with secrets stored before the key, until `encrypt-secrets` seals them', async () => {
    const server = await start({ TROVE_SECRET_KEY: KEY });
    const { receiver, id } = await hookTo(server, 'legacy-secret');
    const [row] = await storedSecrets(server);
    await replaceWebhookSecret(server.store.db, id, row.secret as string, 'legacy-secret');
    expect((await delivered(server, receiver, 'plain-model')).signatureOk).toBe(true);

    const key = parseServerConfig({}, { TROVE_SECRET_KEY: KEY }).webhooks.secretKey;
    expect(await encryptWebhookSecrets(server.store, key as NonNullable<typeof key>)).toBe(1);
    expect((await storedSecrets(server))[0].secret).toMatch(/^enc:v1:/);
    expect(await encryptWebhookSecrets(server.store, key as NonNullable<typeof key>)).toBe(0);
    expect((await delivered(server, receiver, 'resealed-model')).signatureOk).toBe(true);
  });

  it('without a key stores secrets as before, and says so at start when auth is on or secrets exist', async () => {
    const quiet: string[] = [];
    const plain = await start({}, quiet);
    expect(quiet.join('')).not.toContain('TROVE_SECRET_KEY');
    const { receiver } = await hookTo(plain, 'no-key-secret');
    expect((await storedSecrets(plain))[0].secret).toBe('no-key-secret');
    expect((await delivered(plain, receiver, 'no-key-model')).signatureOk).toBe(true);

    const warned: string[] = [];
    await start({ TROVE_AUTH: 'on', TROVE_ADMIN_USERNAME: 'admin', TROVE_ADMIN_PASSWORD: 'admin-pass-1' }, warned);
    const warnings = warned.filter((l) => l.includes('TROVE_SECRET_KEY is not set'));
    expect(warnings).toHaveLength(1);
  });
});
