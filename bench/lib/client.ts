import http from 'node:http';

export interface HttpResponse {
  status: number;
  body: string;
}

/** The load generator's view of HTTP: one call per request, keep-alive connections underneath. */
export interface HttpClient {
  readonly kind: ClientKind;
  request(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpResponse>;
  close(): Promise<void>;
}

export type ClientKind = 'fetch' | 'node:http';

/** Node's built-in fetch (undici); its global dispatcher keeps connections alive. */
export function createFetchClient(baseUrl: string, extraHeaders: Record<string, string> = {}): HttpClient {
  const jsonHeaders = { 'content-type': 'application/json', ...extraHeaders };
  return {
    kind: 'fetch',
    async request(method, path, body) {
      const res = await fetch(
        baseUrl + path,
        body === undefined ? { method, headers: extraHeaders } : { method, body, headers: jsonHeaders },
      );
      return { status: res.status, body: await res.text() };
    },
    async close() {},
  };
}

/** `node:http` with a keep-alive Agent (one socket per concurrent request, reused). */
export function createNodeHttpClient(baseUrl: string, extraHeaders: Record<string, string> = {}): HttpClient {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const host = url.hostname;
  const port = Number(url.port);
  return {
    kind: 'node:http',
    request(method, path, body) {
      return new Promise((resolve, reject) => {
        const headers: http.OutgoingHttpHeaders =
          body === undefined
            ? { ...extraHeaders }
            : { ...extraHeaders, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
        const req = http.request({ host, port, method, path, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}

/** `extraHeaders` go on every request (e.g. `authorization`). */
export function createClient(kind: ClientKind, baseUrl: string, extraHeaders: Record<string, string> = {}): HttpClient {
  return kind === 'fetch' ? createFetchClient(baseUrl, extraHeaders) : createNodeHttpClient(baseUrl, extraHeaders);
}

/** A JSON call that must succeed (200); returns the parsed body. */
export async function callJson<T = any>(
  client: HttpClient,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await client.request(method, path, body === undefined ? undefined : JSON.stringify(body));
  if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${res.body.slice(0, 500)}`);
  return (res.body === '' ? {} : JSON.parse(res.body)) as T;
}

/** Throws unless the response is a 200. */
export function expectOk(res: HttpResponse, what: string): HttpResponse {
  if (res.status !== 200) throw new Error(`${what} → ${res.status} ${res.body.slice(0, 500)}`);
  return res;
}

export const API = '/api/2.0/mlflow';

/** Creates `n` runs named `<prefix>-<i>` in an experiment (started 2025-01-01) and returns their ids. */
export async function createRuns(
  client: HttpClient,
  experimentId: string,
  n: number,
  prefix: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { run } = await callJson(client, 'POST', `${API}/runs/create`, {
      experiment_id: experimentId,
      run_name: `${prefix}-${i}`,
      start_time: Date.UTC(2025, 0, 1),
    });
    ids.push(run.info.run_id);
  }
  return ids;
}
