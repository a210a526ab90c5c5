import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '@trove/artifacts';
import { countPendingWebhookDeliveries, countWebhookDeliveriesByStatus, pingDatabase, type Store } from '@trove/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CollectedGauge, Counter, Histogram, PROMETHEUS_CONTENT_TYPE, Registry } from './prometheus.ts';

export interface OperationsDeps {
  store: Store;
  /** The artifact store the proxy writes to (local disk or S3). */
  artifacts: ArtifactStore;
  /** Longest a readiness check may take before it counts as failed. */
  readyTimeoutMs?: number;
}

/** Where `/ready` writes (and removes) its probe object: not an experiment id, so no run's key. */
export const READY_PROBE_PREFIX = '.trove-ready';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const started = new WeakMap<FastifyRequest, bigint>();

/** What a successful request added to the metric points counter (MLflow ingest routes). */
function ingestedPoints(request: FastifyRequest, route: string): number {
  if (route.endsWith('/runs/log-batch')) {
    const metrics = (request.body as { metrics?: unknown } | undefined)?.metrics;
    return Array.isArray(metrics) ? metrics.length : 0;
  }
  if (route.endsWith('/runs/log-metric')) return 1;
  return 0;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Operations endpoints and request telemetry:
 * - every response echoes `x-request-id` (the client's, or a generated UUID; the same id is the
 *   `reqId` of the request's log lines);
 * - `/ready`: 200 when the database answers `SELECT 1` and the artifact store accepts a write,
 *   503 naming the failed check otherwise, and 503 `draining` once shutdown has begun;
 * - `/metrics`: Prometheus text — requests and latency per route/method/status, DB pool,
 *   ingested metric points, webhook outbox depth.
 */
export function registerOperations(app: FastifyInstance, deps: OperationsDeps): { registry: Registry } {
  const { store, artifacts } = deps;
  const readyTimeoutMs = deps.readyTimeoutMs ?? 5000;
  const registry = new Registry();
  const requests = registry.register(
    new Counter('trove_http_requests_total', 'HTTP requests answered, by route pattern, method and status.'),
  );
  const latency = registry.register(
    new Histogram(
      'trove_http_request_duration_seconds',
      'Time from request start to response end, by route pattern, method and status.',
      LATENCY_BUCKETS,
    ),
  );
  const points = registry.register(
    new Counter(
      'trove_metric_points_ingested_total',
      'Metric points accepted by log-batch and log-metric (before de-duplication).',
    ),
  );
  registry.register(
    new CollectedGauge(
      'trove_db_pool_connections',
      'PostgreSQL pool connections by state (total, idle, waiting clients).',
      () => {
        const pool = store.pg;
        if (!pool) return [];
        return [
          { labels: { state: 'total' }, value: pool.totalCount },
          { labels: { state: 'idle' }, value: pool.idleCount },
          { labels: { state: 'waiting' }, value: pool.waitingCount },
        ];
      },
    ),
  );
  registry.register(
    new CollectedGauge(
      'trove_webhook_deliveries',
      'Webhook outbox rows by status (pending = queue depth), shared by all replicas.',
      async () => {
        const byStatus = await countWebhookDeliveriesByStatus(store.db);
        if (!byStatus.has('pending')) byStatus.set('pending', 0);
        return [...byStatus].map(([status, value]) => ({ labels: { status }, value }));
      },
    ),
  );
  registry.register(
    new CollectedGauge(
      'trove_webhook_queue_depth',
      'Webhook deliveries still pending (the outbox queue).',
      async () => {
        return [{ value: await countPendingWebhookDeliveries(store.db) }];
      },
    ),
  );
  registry.register(
    new CollectedGauge('process_resident_memory_bytes', 'Resident memory of this process.', () => [
      { value: process.memoryUsage.rss() },
    ]),
  );
  const startSeconds = Math.floor(Date.now() / 1000 - process.uptime());
  registry.register(
    new CollectedGauge('process_start_time_seconds', 'Start time of this process (Unix seconds).', () => [
      { value: startSeconds },
    ]),
  );

  app.addHook('onRequest', async (request, reply) => {
    started.set(request, process.hrtime.bigint());
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const t0 = started.get(request);
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, method: request.method, status: String(reply.statusCode) };
    requests.inc(labels);
    if (t0 !== undefined) latency.observe(labels, Number(process.hrtime.bigint() - t0) / 1e9);
    if (reply.statusCode === 200) {
      const n = ingestedPoints(request, route);
      if (n > 0) points.inc({}, n);
    }
  });

  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });

  app.get('/metrics', async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await registry.render()));

  app.get('/ready', async (_req, reply) => {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    if (draining) checks.shutdown = { ok: false, error: 'the server is shutting down' };
    const [database, artifactStore] = await Promise.allSettled([
      withTimeout(pingDatabase(store.db), readyTimeoutMs, 'the database'),
      withTimeout(probeArtifacts(artifacts), readyTimeoutMs, 'the artifact store'),
    ]);
    checks.database = database.status === 'fulfilled' ? { ok: true } : { ok: false, error: errorText(database.reason) };
    checks.artifacts =
      artifactStore.status === 'fulfilled' ? { ok: true } : { ok: false, error: errorText(artifactStore.reason) };
    const failed = Object.keys(checks).filter((k) => !checks[k].ok);
    const status = failed.length === 0 ? 'ready' : 'not ready';
    return reply.code(failed.length === 0 ? 200 : 503).send({ status, failed, checks });
  });

  return { registry };
}

/** Writes, reads back and removes a tiny object: proves the destination is reachable and writable. */
async function probeArtifacts(artifacts: ArtifactStore): Promise<void> {
  const key = `${READY_PROBE_PREFIX}/${randomUUID()}`;
  try {
    await artifacts.put(key, Readable.from([Buffer.from('ok')]));
    const stat = await artifacts.stat(key);
    if (!stat || stat.isDir) throw new Error('the probe object written was not found');
  } finally {
    await artifacts.delete(key).catch(() => {});
  }
}

function errorText(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' && err.message !== '' ? err.message : String(e);
  return typeof err?.code === 'string' ? `${err.code}: ${message}` : message;
}

/** Request ids: the client's `x-request-id` when it is sane, else a fresh UUID (unique across replicas). */
export function genRequestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && /^[\w.:@/+=-]{1,128}$/.test(given)) return given;
  return randomUUID();
}
