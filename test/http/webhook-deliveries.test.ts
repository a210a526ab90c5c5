import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';
import { startReceiver, waitFor } from '../support/webhook-receiver.ts';

// Deliveries from the outbox to a real receiver on loopback: signatures, retries, attempts, redelivery.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
const SECRET = 'hmac-key';

beforeAll(async () => {
  server = await startServer({
    webhooks: { allowedSchemes: ['http'], allowPrivateIps: true, retryBaseMs: 100, pollMs: 20, maxAttempts: 3 },
  });
  api = mlflow(server);
  t = trove(server);
});
afterAll(() => server.close());

const ev = (entity: string, action: string) => ({ entity, action });
const deliveriesOf = async (id: string, query = '') =>
  (await t.ok('GET', `/webhooks/${id}/deliveries${query}`)).deliveries as any[];
const settled = (id: string, n: number) =>
  waitFor(
    async () => {
      const list = await deliveriesOf(id);
      return list.length >= n && list.every((d) => d.status !== 'pending') ? list : undefined;
    },
    15_000,
    `${n} settled deliveries`,
  );

describe('webhook deliveries', () => {
  it('delivers MLflow and Trove events, signed, retrying after a 500, each acknowledged once', async () => {
    // The first request of each delivery fails: every event is delivered on its second attempt.
    const receiver = await startReceiver(SECRET, (_id, n) => (n === 1 ? 500 : 200));
    try {
      const events = [
        ev('REGISTERED_MODEL', 'CREATED'),
        ev('MODEL_VERSION', 'CREATED'),
        ev('MODEL_VERSION_TAG', 'SET'),
        ev('MODEL_VERSION_ALIAS', 'CREATED'),
        ev('TRANSITION_REQUEST', 'CREATED'),
        ev('TRANSITION_REQUEST', 'APPROVED'),
        ev('TRANSITION_REQUEST', 'REJECTED'),
        ev('COMMENT', 'CREATED'),
        ev('RUN', 'FINISHED'),
        ev('RUN', 'FAILED'),
      ];
      const hook = (await api.ok('POST', '/webhooks', { name: 'all', url: receiver.url, events, secret: SECRET }))
        .webhook;
      const runId = await api.createRun('0');
      const failing = await api.createRun('0');
      await api.ok('POST', '/registered-models/create', { name: 'hooked', tags: [{ key: 'team', value: 'risk' }] });
      await api.ok('POST', '/model-versions/create', {
        name: 'hooked',
        source: `runs:/${runId}/model`,
        run_id: runId,
        description: 'first',
      });
      await api.ok('POST', '/model-versions/set-tag', { name: 'hooked', version: '1', key: 'k', value: 'v' });
      await api.ok('POST', '/registered-models/alias', { name: 'hooked', alias: 'champion', version: '1' });
      const req = (
        await t.ok('POST', '/registered-models/hooked/versions/1/requests', { stage: 'Production' }, 'alice')
      ).request;
      await t.ok('POST', `/registered-models/hooked/requests/${req.request_id}/approve`, {}, 'bob');
      const other = (
        await t.ok('POST', '/registered-models/hooked/versions/1/requests', { stage: 'Archived' }, 'alice')
      ).request;
      await t.ok('POST', `/registered-models/hooked/requests/${other.request_id}/reject`, {}, 'bob');
      await t.ok('POST', '/registered-models/hooked/versions/1/comments', { body: 'ship it' }, 'carol');
      await api.ok('POST', '/runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
      await api.ok('POST', '/runs/update', { run_id: runId, status: 'FINISHED' }); // no second run event
      await api.ok('POST', '/runs/update', { run_id: failing, status: 'FAILED' });
      await api.ok('DELETE', '/model-versions/delete-tag', { name: 'hooked', version: '1', key: 'k' }); // not subscribed

      const list = await settled(hook.webhook_id, 11);
      expect(list).toHaveLength(11);
      expect(list.every((d) => d.status === 'delivered' && d.attempt_count === 2)).toBe(true);
      expect(list[0].attempts.map((a: any) => [a.attempt, a.status_code, a.success])).toEqual([
        [1, 500, false],
        [2, 200, true],
      ]);
      expect(list[0].attempts[0]).toMatchObject({ response_excerpt: 'failing on purpose (1)' });
      expect(typeof list[0].attempts[0].latency_ms).toBe('number');

      const acked = receiver.acknowledged();
      expect(acked).toHaveLength(11);
      expect(new Set(acked.map((r) => r.deliveryId)).size).toBe(11);
      expect(receiver.received.every((r) => r.signatureOk)).toBe(true);
      const kinds = acked.map((r) => `${r.body.entity}.${r.body.action}`).sort();
      expect(kinds).toEqual([
        'comment.created',
        'model_version.created',
        'model_version_alias.created',
        'model_version_tag.set',
        'registered_model.created',
        'run.failed',
        'run.finished',
        'transition_request.approved',
        'transition_request.created',
        'transition_request.created',
        'transition_request.rejected',
      ]);
      const mv = acked.find((r) => r.body.entity === 'model_version');
      expect(mv?.body.data).toEqual({
        name: 'hooked',
        version: '1',
        source: `runs:/${runId}/model`,
        run_id: runId,
        tags: {},
        description: 'first',
      });
      expect(new Date(String(mv?.body.timestamp)).getTime()).toBeGreaterThan(0);
      expect(acked.find((r) => r.body.entity === 'model_version_alias')?.body.data).toEqual({
        name: 'hooked',
        alias: 'champion',
        version: '1',
      });
      expect(acked.find((r) => r.body.action === 'approved')?.body.data).toMatchObject({
        request_id: req.request_id,
        stage: 'Production',
        requester: 'alice',
        approver: 'bob',
        status: 'approved',
      });
      expect(acked.find((r) => r.body.entity === 'run' && r.body.action === 'finished')?.body.data).toMatchObject({
        run_id: runId,
        status: 'FINISHED',
      });
      // Retries resend the same delivery id and body.
      const firstTry = receiver.received.find((r) => r.deliveryId === mv?.deliveryId && r.status === 500);
      expect(firstTry?.body).toEqual(mv?.body);

      // Manual redelivery: same id, one more attempt.
      const again = (await t.ok('POST', `/webhooks/deliveries/${mv?.deliveryId}/redeliver`)).delivery;
      expect(again.status).toBe('pending');
      await waitFor(
        () => receiver.acknowledged().filter((r) => r.deliveryId === mv?.deliveryId).length === 2,
        10_000,
        'redelivery',
      );
      const one = (await waitFor(async () => {
        const d = (await t.ok('GET', `/webhooks/deliveries/${mv?.deliveryId}`)).delivery;
        return d.status === 'delivered' ? d : undefined;
      })) as any;
      expect(one.attempts.map((a: any) => a.status_code)).toEqual([500, 200, 200]);
      expect((await deliveriesOf(hook.webhook_id, '?status=delivered&max_results=5')).length).toBe(5);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the attempt budget, does not retry 4xx, and redelivers on request', async () => {
    let answer = 503;
    const receiver = await startReceiver(SECRET, () => answer);
    try {
      const hook = (
        await api.ok('POST', '/webhooks', {
          name: 'flaky',
          url: receiver.url,
          events: [ev('REGISTERED_MODEL', 'CREATED')],
        })
      ).webhook;
      await api.ok('POST', '/registered-models/create', { name: 'budget' });
      const [failed] = await settled(hook.webhook_id, 1);
      expect(failed).toMatchObject({ status: 'failed', attempt_count: 3 });
      answer = 410;
      await t.ok('POST', `/webhooks/deliveries/${failed.delivery_id}/redeliver`);
      const gone = (await waitFor(async () => {
        const d = (await t.ok('GET', `/webhooks/deliveries/${failed.delivery_id}`)).delivery;
        return d.status === 'failed' && d.attempt_count === 4 ? d : undefined;
      })) as any;
      expect(gone.attempts.at(-1)).toMatchObject({ status_code: 410, success: false });
      answer = 200;
      await t.ok('POST', `/webhooks/deliveries/${failed.delivery_id}/redeliver`);
      await waitFor(
        async () => (await t.ok('GET', `/webhooks/deliveries/${failed.delivery_id}`)).delivery.status === 'delivered',
      );
    } finally {
      await receiver.close();
    }
  });

  it('sends nothing to disabled webhooks or other workspaces; maps events of prompts', async () => {
    const receiver = await startReceiver(SECRET);
    try {
      const disabled = (
        await api.ok('POST', '/webhooks', {
          name: 'off',
          url: receiver.url,
          events: [ev('REGISTERED_MODEL', 'CREATED')],
          status: 'DISABLED',
        })
      ).webhook;
      await server.call('POST', '/api/trove/v1/workspaces', { name: 'elsewhere' });
      const foreign = (
        await mlflow(server, 'elsewhere').ok('POST', '/webhooks', {
          name: 'far',
          url: receiver.url,
          events: [ev('REGISTERED_MODEL', 'CREATED')],
        })
      ).webhook;
      const prompts = (
        await api.ok('POST', '/webhooks', {
          name: 'prompts',
          url: receiver.url,
          events: [ev('PROMPT', 'CREATED'), ev('PROMPT_VERSION', 'CREATED'), ev('MODEL_VERSION', 'CREATED')],
        })
      ).webhook;
      await api.ok('POST', '/registered-models/create', {
        name: 'greeting',
        tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }],
      });
      await api.ok('POST', '/model-versions/create', { name: 'greeting', source: 's3://prompts/greeting/1' });
      await settled(prompts.webhook_id, 2);
      expect(
        receiver
          .acknowledged()
          .map((r) => `${r.body.entity}.${r.body.action}`)
          .sort(),
      ).toEqual(['prompt.created', 'prompt_version.created']);
      expect(await deliveriesOf(disabled.webhook_id)).toEqual([]);
      expect(
        (await trove(server, 'elsewhere').ok('GET', `/webhooks/${foreign.webhook_id}/deliveries`)).deliveries,
      ).toEqual([]);
      expect((await t.call('GET', `/webhooks/${foreign.webhook_id}/deliveries`)).status).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  it('answers bad delivery requests with MLflow codes', async () => {
    expect((await t.call('GET', '/webhooks/nope/deliveries')).status).toBe(404);
    expect((await t.call('GET', '/webhooks/deliveries/nope')).status).toBe(404);
    expect((await t.call('POST', '/webhooks/deliveries/nope/redeliver')).status).toBe(404);
    const hook = (
      await api.ok('POST', '/webhooks', { name: 'q', url: 'http://127.0.0.1:9/x', events: [ev('RUN', 'FAILED')] })
    ).webhook;
    for (const q of ['status=lost', 'max_results=0', 'page_token=%24'])
      expect((await t.call('GET', `/webhooks/${hook.webhook_id}/deliveries?${q}`)).status, q).toBe(400);
  });
});
