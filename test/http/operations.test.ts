import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, parseServerConfig } from '@trove/server';
import type { Store } from '@trove/store';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, testBackend } from '../support/backend.ts';

/** In-process app over a fresh store; `artifactsDestination` may be made unusable on purpose. */
async function build(artifactsDestination?: string): Promise<{ app: FastifyInstance; store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trove-ops-'));
  const store = await openTestStore();
  const config = parseServerConfig({
    port: 0,
    backendStoreUri: 'unused',
    artifactsDestination: artifactsDestination ?? join(dir, 'artifacts'),
    logLevel: 'silent',
  });
  const app = await createApp({ config, store, logger: false, webhooks: { dispatcher: false } });
  await app.ready();
  return { app, store, dir };
}

const opened: { app: FastifyInstance; store: Store; dir: string; closed?: boolean }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.app.close();
    if (!o.closed) await o.store.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

describe('/ready', () => {
  it('answers 200 when the database and the artifact destination work', async () => {
    const o = await build();
    opened.push(o);
    const res = await o.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ready',
      failed: [],
      checks: { database: { ok: true }, artifacts: { ok: true } },
    });
  });

  it('answers 503 naming the artifact check when the destination cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-ops-file-'));
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const o = await build(join(file, 'artifacts'));
    opened.push({ ...o, dir });
    const res = await o.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'not ready',
      failed: ['artifacts'],
      checks: { database: { ok: true }, artifacts: { ok: false } },
    });
    expect(res.json().checks.artifacts.error).toMatch(/ENOTDIR|not a directory/i);
  });

  it('answers 503 naming the database check when the database is gone', async () => {
    const o = await build();
    opened.push(o);
    await o.store.close();
    (opened[0] as { closed?: boolean }).closed = true;
    const res = await o.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      failed: ['database'],
      checks: { database: { ok: false }, artifacts: { ok: true } },
    });
    // Liveness stays up: a restart would not help a database outage.
    expect((await o.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('request ids', () => {
  it('echoes a client x-request-id and generates a UUID otherwise', async () => {
    const o = await build();
    opened.push(o);
    const given = await o.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    const fresh = await o.app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/get?experiment_id=424242' });
    expect(fresh.statusCode).toBe(404);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const junk = await o.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(junk.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/metrics', () => {
  it('exposes request counts, latency histograms, ingested points, webhook queue depth and the pool', async () => {
    const o = await build();
    opened.push(o);
    const post = (url: string, body: unknown) => o.app.inject({ method: 'POST', url, payload: body as object });
    const exp = (await post('/api/2.0/mlflow/experiments/create', { name: 'ops' })).json().experiment_id;
    const run = (await post('/api/2.0/mlflow/runs/create', { experiment_id: exp, start_time: 1 })).json().run.info
      .run_id;
    const metrics = [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1000 + step, step }));
    expect((await post('/api/2.0/mlflow/runs/log-batch', { run_id: run, metrics })).statusCode).toBe(200);
    expect(
      (await post('/api/2.0/mlflow/runs/log-metric', { run_id: run, key: 'acc', value: 0.5, timestamp: 5, step: 0 }))
        .statusCode,
    ).toBe(200);
    // A failed batch counts nothing.
    expect((await post('/api/2.0/mlflow/runs/log-batch', { run_id: 'nope', metrics })).statusCode).toBe(404);

    const res = await o.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE trove_http_requests_total counter');
    expect(text).toContain(
      'trove_http_requests_total{route="/api/2.0/mlflow/runs/log-batch",method="POST",status="200"} 1',
    );
    expect(text).toContain(
      'trove_http_requests_total{route="/api/2.0/mlflow/runs/log-batch",method="POST",status="404"} 1',
    );
    expect(text).toContain('# TYPE trove_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /trove_http_request_duration_seconds_bucket\{route="\/api\/2\.0\/mlflow\/runs\/log-batch",method="POST",status="200",le="\+Inf"\} 1/,
    );
    expect(text).toMatch(
      /trove_http_request_duration_seconds_count\{route="\/api\/2\.0\/mlflow\/experiments\/create",method="POST",status="200"\} 1/,
    );
    expect(text).toContain('trove_metric_points_ingested_total 4');
    expect(text).toContain('trove_webhook_queue_depth 0');
    expect(text).toContain('trove_webhook_deliveries{status="pending"} 0');
    if (testBackend() === 'postgres') expect(text).toMatch(/trove_db_pool_connections\{state="total"\} \d+/);
    // Every sample line is `name{labels} value`.
    for (const line of text.trim().split('\n'))
      if (!line.startsWith('#')) expect(line).toMatch(/^[a-z_]+(\{.*\})? [-+0-9.eInfa]+$/);
  });
});
