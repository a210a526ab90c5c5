import { existsSync } from 'node:fs';
import { NGINX } from '../support/nginx.ts';
import { createDatabase, dropDatabase, probePostgres, runPrefix } from '../support/postgres.ts';
import { freePort, type ServerProcess, spawnServer } from '../support/process-server.ts';

/**
 * Shared pieces of the multi-replica tests: whether they can run here (PostgreSQL, nginx), a
 * fresh database, replicas as real `trove server` processes, and a client that retries the way
 * MLflow's does (connection errors, 502, 503, 504).
 */

/** Why the test cannot run here, or undefined. Throws instead when CI requires it to run. */
export async function unavailable(needs: { nginx?: boolean } = {}): Promise<string | undefined> {
  const probe = await probePostgres(undefined, 2000);
  if (!probe.ok) {
    if (process.env.TROVE_REQUIRE_POSTGRES === '1') throw new Error(`TROVE_REQUIRE_POSTGRES=1 but ${probe.reason}`);
    return `PostgreSQL is not reachable (${probe.reason})`;
  }
  if (needs.nginx && !existsSync(NGINX)) {
    if (process.env.TROVE_REQUIRE_NGINX === '1')
      throw new Error(`TROVE_REQUIRE_NGINX=1 but ${NGINX} is missing (apt-get install nginx)`);
    return `${NGINX} is missing (apt-get install nginx, or set TROVE_NGINX)`;
  }
  return undefined;
}

export function skipNotice(file: string, reason: string): void {
  console.warn(
    `\n${file}: SKIPPED — ${reason}. TROVE_REQUIRE_POSTGRES=1 / TROVE_REQUIRE_NGINX=1 (set by .ci/run) make this a failure.\n`,
  );
}

/** A fresh, empty PostgreSQL database (the replicas migrate it, racing each other). */
export async function freshDatabase(tag: string): Promise<{ uri: string; drop(): Promise<void> }> {
  const name = `${runPrefix()}${tag}`;
  const uri = await createDatabase(name);
  return { uri, drop: () => dropDatabase(name) };
}

export async function startReplicas(count: number, storeUri: string, artifacts: string): Promise<ServerProcess[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return Promise.all(
    ports.map((port) => spawnServer(['--backend-store-uri', storeUri, '--artifacts-destination', artifacts], port)),
  );
}

export async function stopReplicas(replicas: ServerProcess[]): Promise<void> {
  await Promise.all(
    replicas.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve();
          const timer = setTimeout(() => r.child.kill('SIGKILL'), 5000);
          r.child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          r.child.kill('SIGTERM');
        }),
    ),
  );
}

export interface Answer {
  status: number;
  body: any;
  /** Attempts it took (1 = no retry). */
  attempts: number;
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);

/**
 * One HTTP call with MLflow-client-style retries: connection errors and 429/502/503/504 are
 * retried with a short backoff, at most `maxAttempts` times. `raw` bodies (Buffers) are sent as is.
 */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: { maxAttempts?: number; raw?: boolean } = {},
): Promise<Answer> {
  const maxAttempts = options.maxAttempts ?? 20;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const init: RequestInit = { method, signal: AbortSignal.timeout(15_000) };
      if (body !== undefined) {
        init.body = options.raw ? new Uint8Array(body as Buffer) : JSON.stringify(body);
        init.headers = { 'content-type': options.raw ? 'application/octet-stream' : 'application/json' };
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      if (RETRY_STATUS.has(res.status) && attempt < maxAttempts) {
        await new Promise((r) => setTimeout(r, 50 * attempt));
        continue;
      }
      let parsed: unknown = text;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, attempts: attempt };
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
  throw new Error(`${method} ${path}: no answer after ${maxAttempts} attempts: ${String(lastError)}`);
}

/** Every point of one metric's history, paged. */
export async function fullHistory(
  base: string,
  runId: string,
  key: string,
): Promise<{ step: number; value: number; timestamp: number }[]> {
  const out: { step: number; value: number; timestamp: number }[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const q = new URLSearchParams({ run_id: runId, metric_key: key, max_results: '1000' });
    if (token) q.set('page_token', token);
    const res = await call(base, 'GET', `/api/2.0/mlflow/metrics/get-history?${q}`);
    if (res.status !== 200) throw new Error(`get-history → ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...(res.body.metrics ?? []));
    token = res.body.next_page_token;
    if (!token) return out;
  }
  throw new Error('get-history did not end');
}
