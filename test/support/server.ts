import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppDeps, createApp, parseServerConfig, type ServerConfigInput } from '@trove/server';
import { openStore, type Store } from '@trove/store';
import { testStoreUri } from './backend.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  /**
   * Every JSON route the app mounted with its request spec (MLflow RPCs, the artifact proxy's listing, Trove's
   * native routes): method, path (with `:params`) after the API prefix, the API, and `url`, its first URL.
   */
  catalog: {
    method: string;
    path: string;
    api: string;
    version?: string;
    url: string;
    spec: Record<string, { kind: unknown; repeated?: boolean }>;
  }[];
  /** JSON request against the server; returns status and parsed body. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** The server's store, for tests that check what was written. */
  store: Store;
  close(): Promise<void>;
}

/**
 * A real Trove server on a loopback port, over a fresh database (a SQLite file, or a new
 * PostgreSQL database when `TROVE_TEST_BACKEND=postgres`) and artifact directory.
 * Tests talk to it with fetch, exactly as a client would.
 */
export async function startServer(
  options: {
    webhooks?: AppDeps['webhooks'];
    alerts?: AppDeps['alerts'];
    config?: ServerConfigInput;
    env?: NodeJS.ProcessEnv;
    /** Log lines (off by default): a level and where they go. */
    logger?: AppDeps['logger'];
  } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trove-test-'));
  const backend = await testStoreUri(join(dataDir, 'trove.db'));
  const config = parseServerConfig(
    {
      port: 0,
      backendStoreUri: backend.uri,
      artifactsDestination: join(dataDir, 'artifacts'),
      logLevel: 'silent',
      ...options.config,
    },
    { ...process.env, ...options.env },
  );
  const store = await openStore(config.backendStoreUri, { poolSize: 5 });
  const app = await createApp({
    config,
    store,
    logger: options.logger ?? false,
    webhooks: options.webhooks,
    alerts: options.alerts,
  });
  // Port 0 (any free port) unless the test needs to know it in advance (an SSO redirect URL).
  const address = await app.listen({ host: '127.0.0.1', port: config.port });
  const call: TestServer['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(address + path, init);
    // An event stream never ends: it is answered unread (tests that read one use sse-client.ts).
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, body: {}, headers: res.headers };
    }
    return { status: res.status, body: parseBody(await res.text()), headers: res.headers };
  };
  return {
    url: address,
    dataDir,
    catalog: (app as unknown as { rpcCatalog: TestServer['catalog'] }).rpcCatalog,
    call,
    store,
    async close() {
      await app.close();
      await store.close();
      await backend.release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A response body as JSON when it is JSON, else the text. */
export function parseBody(text: string): any {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}

/** Shorthands for the MLflow API of a server (optionally in workspace `ws`). */
export function mlflow(server: TestServer, ws?: string) {
  const base = ws ? `/w/${ws}/api/2.0/mlflow` : '/api/2.0/mlflow';
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await server.call(method, base + path, body);
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    base,
    post: (path: string, body: unknown) => server.call('POST', base + path, body),
    get: (path: string, query: Record<string, string | string[]> = {}) =>
      server.call('GET', base + path + toQuery(query)),
    ok,
    async createExperiment(name: string): Promise<string> {
      return (await ok('POST', '/experiments/create', { name })).experiment_id;
    },
    async createRun(experimentId: string, extra: Record<string, unknown> = {}): Promise<string> {
      return (await ok('POST', '/runs/create', { experiment_id: experimentId, start_time: Date.now(), ...extra })).run
        .info.run_id;
    },
  };
}

export function toQuery(query: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Shorthands for Trove's native API (`/api/trove/v1`), acting as `user` when given. */
export function trove(server: TestServer, ws?: string) {
  const base = ws ? `/w/${ws}/api/trove/v1` : '/api/trove/v1';
  const call = (method: string, path: string, body?: unknown, user?: string) =>
    server.call(method, base + path, body, user ? { 'x-trove-user': user } : {});
  return {
    base,
    call,
    async ok(method: string, path: string, body?: unknown, user?: string) {
      const res = await call(method, path, body, user);
      if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}
