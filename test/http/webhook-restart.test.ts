import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type ServerProcess, spawnServer } from '../support/process-server.ts';
import { startReceiver, waitFor } from '../support/webhook-receiver.ts';

// Durable deliveries: a server killed mid-retry loses nothing, and after the restart several
// worker processes share the outbox without ever sending one delivery twice.
const dir = mkdtempSync(join(tmpdir(), 'trove-webhook-restart-'));
const children: ServerProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'restart-secret';
const ENV = {
  MLFLOW_WEBHOOK_ALLOWED_SCHEMES: 'http,https',
  MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: 'true',
  TROVE_WEBHOOK_RETRY_BASE_MS: '4000',
  TROVE_WEBHOOK_POLL_MS: '50',
};
const args = ['--backend-store-uri', join(dir, 'trove.db'), '--artifacts-destination', join(dir, 'artifacts')];

async function call(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

describe('webhook deliveries across a restart', () => {
  it('retries after a 500 in the next server process and delivers every event exactly once', async () => {
    const receiver = await startReceiver(SECRET, (_id, n) => (n === 1 ? 500 : 200));
    try {
      const first = await spawnServer(args, await freePort(), ENV);
      children.push(first);
      const m = (path: string) => `/api/2.0/mlflow${path}`;
      const events = [
        { entity: 'REGISTERED_MODEL', action: 'CREATED' },
        { entity: 'MODEL_VERSION', action: 'CREATED' },
        { entity: 'RUN', action: 'FINISHED' },
      ];
      const hook = (
        await call(first.url, 'POST', m('/webhooks'), { name: 'durable', url: receiver.url, events, secret: SECRET })
      ).webhook;
      const runId = (await call(first.url, 'POST', m('/runs/create'), { experiment_id: '0' })).run.info.run_id;
      await call(first.url, 'POST', m('/registered-models/create'), { name: 'durable-model' });
      for (let i = 0; i < 6; i++)
        await call(first.url, 'POST', m('/model-versions/create'), {
          name: 'durable-model',
          source: `runs:/${runId}/m${i}`,
          run_id: runId,
        });
      await call(first.url, 'POST', m('/runs/update'), { run_id: runId, status: 'FINISHED' });
      const total = 8;

      // Every delivery got its 500; the retries are scheduled seconds away when the server dies.
      await waitFor(() => new Set(receiver.received.map((r) => r.deliveryId)).size === total, 15_000, 'first attempts');
      // Kill only once every failed attempt is recorded: then all of them wait in their backoff.
      // (A process killed during an attempt holds its claim until the lease runs out, ~1 min.)
      await waitFor(
        async () => {
          const d = (await call(first.url, 'GET', `/api/trove/v1/webhooks/${hook.webhook_id}/deliveries`))
            .deliveries as any[];
          return d.length === total && d.every((x) => x.status === 'pending' && x.attempt_count === 1);
        },
        10_000,
        'recorded first attempts',
      );
      const exited = new Promise((r) => first.child.once('exit', r));
      first.child.kill('SIGKILL');
      await exited;
      expect(receiver.acknowledged()).toHaveLength(0);

      const second = await spawnServer([...args, '--workers', '3'], await freePort(), ENV);
      children.push(second);
      try {
        await waitFor(() => receiver.acknowledged().length >= total, 30_000, 'deliveries after restart');
        const list = await waitFor(
          async () => {
            const d = (await call(second.url, 'GET', `/api/trove/v1/webhooks/${hook.webhook_id}/deliveries`))
              .deliveries as any[];
            return d.length === total && d.every((x) => x.status === 'delivered') ? d : undefined;
          },
          10_000,
          'delivered status',
        );
        // A little longer, to catch any duplicate a second worker might send.
        await new Promise((r) => setTimeout(r, 500));
        const acked = receiver.acknowledged();
        expect(acked).toHaveLength(total);
        expect(new Set(acked.map((r) => r.deliveryId)).size).toBe(total);
        expect(receiver.received).toHaveLength(2 * total);
        expect(receiver.received.every((r) => r.signatureOk)).toBe(true);
        expect(acked.map((r) => `${r.body.entity}.${r.body.action}`).sort()).toEqual([
          'model_version.created',
          'model_version.created',
          'model_version.created',
          'model_version.created',
          'model_version.created',
          'model_version.created',
          'registered_model.created',
          'run.finished',
        ]);
        for (const d of list) expect(d.attempts.map((a: any) => a.status_code)).toEqual([500, 200]);
      } finally {
        second.child.kill('SIGTERM');
      }
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
