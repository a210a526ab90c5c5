import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, parseServerConfig } from '@trove/server';
import { findWorkspaceByName, openStore, runInTransaction, type Store } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../packages/server/src/services/registry-events.ts';
import { testStoreUri } from '../support/backend.ts';
import { parseBody } from '../support/server.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { startReceiver, waitFor } from '../support/webhook-receiver.ts';

// Email through a real SMTP server on loopback (smtp-server), Slack and Teams through webhook
// receivers, and the outbox across a server restart: nothing is lost and nothing is sent twice.
// The first alert fires through the alerts API; the restart batch is recorded through recordEvent
// directly (four alerts at once, without four rules).

let dir: string;
let backend: { uri: string; release(): Promise<void> };
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let refusing = false;
let app: Awaited<ReturnType<typeof startApp>>;

async function startApp() {
  const config = parseServerConfig(
    {
      port: 0,
      backendStoreUri: backend.uri,
      artifactsDestination: join(dir, 'artifacts'),
      logLevel: 'silent',
      smtpUrl: sink.url,
      publicUrl: 'https://trove.example.com',
    },
    process.env,
  );
  const store = await openStore(config.backendStoreUri, { poolSize: 5 });
  const server = await createApp({
    config,
    store,
    logger: false,
    webhooks: { pollMs: 50, retryBaseMs: 3000, allowPrivateIps: true, allowedSchemes: ['http', 'https'] },
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const call = async (method: string, path: string, body: unknown, user: string) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', 'x-trove-user': user },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = parseBody(await res.text());
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    store,
    call,
    t: (method: string, path: string, body: unknown, user: string) => call(method, `/api/trove/v1${path}`, body, user),
    m: (path: string, body: unknown, user = 'admin') => call('POST', `/api/2.0/mlflow${path}`, body, user),
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}

async function deliveries(store: Store) {
  return store.db.selectFrom('notification_deliveries').selectAll().orderBy('id').execute();
}

async function fireAlert(store: Store, runId: string, experimentId: string, n: number) {
  const ws = await findWorkspaceByName(store.db, 'default');
  await runInTransaction(store, (tx) =>
    recordEvent(tx, {
      workspaceId: Number(ws?.id),
      modelId: null,
      modelName: '',
      runId,
      entity: 'alert',
      action: 'fired',
      payload: {
        alert_id: `a${n}`,
        rule_id: 'r1',
        rule_name: 'loss too high',
        experiment_id: experimentId,
        run_id: runId,
        condition: 'loss > 1',
        metric_key: 'loss',
        value: 1.5 + n,
        step: n,
      },
    }),
  );
}

let experimentId: string;
let runId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trove-notify-email-'));
  backend = await testStoreUri(join(dir, 'trove.db'));
  sink = await startSmtpSink(() => refusing);
  app = await startApp();
  experimentId = (await app.m('/experiments/create', { name: 'mail-exp' })).experiment_id;
  runId = (await app.m('/runs/create', { experiment_id: experimentId, user_id: 'runner' })).run.info.run_id;
  await app.m('/registered-models/create', { name: 'mail-model' }, 'owner');
  await app.m('/model-versions/create', { name: 'mail-model', source: `runs:/${runId}/model`, run_id: runId }, 'owner');
  for (const [user, email] of [
    ['reviewer', 'reviewer@example.com'],
    ['requester', 'requester@example.com'],
    ['runner', 'runner@example.com'],
  ])
    await app.t('PUT', '/me/notification-preferences', { email }, user as string);
  await app.t('PUT', '/watches', { name: 'mail-model' }, 'reviewer');
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
  await backend?.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('notification email over SMTP', () => {
  it('a review request reaches the reviewer, the decision the requester, an alert the run owner', async () => {
    const id = (
      await app.t(
        'POST',
        '/registered-models/mail-model/versions/1/requests',
        { stage: 'Production', comment: 'please' },
        'requester',
      )
    ).request.request_id;
    const [review] = await waitFor(() => sink.to('reviewer@example.com').length > 0 && sink.to('reviewer@example.com'));
    expect(review?.subject).toBe('requester requests review: mail-model v1 to stage Production');
    expect(review?.text).toContain(`https://trove.example.com/models/mail-model#request-${id}`);
    expect(review?.messageId).toBe(`<${review?.deliveryId}@trove>`);

    await app.t('POST', `/registered-models/mail-model/requests/${id}/approve`, {}, 'reviewer');
    const [decided] = await waitFor(
      () => sink.to('requester@example.com').length > 0 && sink.to('requester@example.com'),
    );
    expect(decided?.subject).toContain('was approved and applied');

    // Through the alerts API: a threshold rule, and a metric that breaks it.
    await app.t(
      'POST',
      `/experiments/${experimentId}/alert-rules`,
      { name: 'loss too high', kind: 'threshold', metric_key: 'loss', op: '>', value: 1 },
      'admin',
    );
    await app.m('/runs/log-metric', { run_id: runId, key: 'loss', value: 1.5, timestamp: Date.now(), step: 0 });
    const [alert] = await waitFor(() => sink.to('runner@example.com').length > 0 && sink.to('runner@example.com'));
    expect(alert?.subject).toBe(`Alert "loss too high" fired on run ${runId}`);
    expect(alert?.text).toContain('loss = 1.5 at step 0');
    // Inbox-only kinds send no mail: the reviewer's own approval applied a stage change they watch, but they made it.
    expect(sink.accepted).toHaveLength(3);
  });

  it('sends nothing twice across a restart; messages refused before it go out after it', async () => {
    const before = sink.accepted.length;
    refusing = true;
    for (let n = 1; n <= 4; n++) await fireAlert(app.store, runId, experimentId, n);
    // Every new delivery was offered once and refused (451), and waits for its retry.
    await waitFor(
      async () => {
        const d = (await deliveries(app.store)).slice(-4);
        return d.every((x) => x.status === 'pending' && Number(x.attempts) === 1);
      },
      15_000,
      'refused first attempts',
    );
    await app.close();
    refusing = false;
    app = await startApp();
    await waitFor(async () => (await deliveries(app.store)).every((d) => d.status === 'sent'), 20_000, 'all sent');
    const all = await deliveries(app.store);
    expect(all).toHaveLength(7);
    expect(sink.accepted).toHaveLength(7);
    expect(sink.accepted.length - before).toBe(4);
    const ids = sink.accepted.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(all.map((d) => `<${d.delivery_id}@trove>`)));
  });

  it('the send-test action mails the user now', async () => {
    expect(await app.t('POST', '/me/notification-preferences/test', { channel: 'email' }, 'runner')).toEqual({
      sent: true,
    });
    expect(sink.to('runner@example.com').some((m) => m.subject === 'Trove test notification')).toBe(true);
    const prefs = await app.t('GET', '/me/notification-preferences', undefined, 'runner');
    expect(prefs.email_available).toBe(true);
  });
});

describe('Slack and Teams incoming webhooks', () => {
  it('post their formats to the URLs a user set, for the kinds they turned on', async () => {
    const slack = await startReceiver('');
    const teams = await startReceiver('');
    try {
      await app.t(
        'PUT',
        '/me/notification-preferences',
        {
          slack_url: slack.url,
          teams_url: teams.url,
          preferences: [
            { kind: 'review_requested', channel: 'slack', enabled: true },
            { kind: 'review_requested', channel: 'teams', enabled: true },
          ],
        },
        'reviewer',
      );
      await app.m('/model-versions/create', { name: 'mail-model', source: `runs:/${runId}/model` }, 'owner');
      const id = (
        await app.t('POST', '/registered-models/mail-model/versions/2/requests', { alias: 'champion' }, 'requester')
      ).request.request_id;
      const link = `https://trove.example.com/models/mail-model#request-${id}`;
      const [s] = await waitFor(() => slack.received.length > 0 && slack.received);
      const [m] = await waitFor(() => teams.received.length > 0 && teams.received);
      const title = 'requester requests review: mail-model v2 to alias @champion';
      expect(s?.body).toMatchObject({ text: title });
      const blocks = (s as unknown as { body: { blocks: { text: { text: string } }[] } }).body.blocks;
      expect(blocks[0]?.text.text).toBe(`*<${link}|${title}>*`);
      const card = (m as unknown as { body: unknown }).body as {
        type: string;
        attachments: { contentType: string; content: any }[];
      };
      expect(card.type).toBe('message');
      expect(card.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(card.attachments[0]?.content.body[0].text).toBe(title);
      expect(card.attachments[0]?.content.actions[0].url).toBe(link);
      // The URLs are stored sealed or plain (no key configured here) but never answered back.
      const prefs = await app.t('GET', '/me/notification-preferences', undefined, 'reviewer');
      expect(JSON.stringify(prefs)).not.toContain(slack.url);
    } finally {
      await slack.close();
      await teams.close();
    }
  });
});
