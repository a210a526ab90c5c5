import { parseJson, stringifyJson, TroveError } from '@trove/protocol';
import { errorFromResponse, networkError } from './response-error.ts';
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, type RetryOptions, sleep } from './retry.ts';

/** Credentials sent as `Authorization`: a bearer token, or HTTP basic auth. */
export type Auth = { token: string } | { username: string; password: string };

/** Where and how to reach a Trove (or MLflow) tracking server. */
export interface HttpClientOptions {
  /**
   * Tracking URI, as `MLFLOW_TRACKING_URI`: `http://host:5000`, or a workspace's own
   * `http://host:5000/w/team-a`. Credentials in it (`http://user:pw@host`) become basic auth.
   * Default `http://127.0.0.1:5000`.
   */
  trackingUri?: string;
  /** Workspace to address; appends `/w/<workspace>` to the tracking URI. */
  workspace?: string;
  auth?: Auth;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Retry policy for 429/502/503/504 and network errors; `{ maxAttempts: 1 }` disables retries. */
  retry?: Partial<RetryOptions>;
  /** Per-attempt timeout of JSON requests in ms (default 120 s); artifact transfers have none. */
  timeoutMs?: number;
  /** The fetch implementation (default: the global one); handy for proxies, tracing and tests. */
  fetch?: typeof fetch;
}

type Scalar = string | number | bigint | boolean;
/** Query parameters; arrays become repeated keys (`?run_ids=a&run_ids=b`), undefined/null are left out. */
export type Query = Record<string, Scalar | readonly Scalar[] | undefined | null>;

/** One request as {@link HttpClient.send} takes it. */
export interface SendOptions {
  query?: Query;
  /** The body, or a function making a fresh one per attempt (a stream can be read only once). */
  body?: BodyInit | (() => BodyInit);
  headers?: Record<string, string>;
  /** Per-attempt timeout in ms; `null` for none. Default: the client's `timeoutMs`. */
  timeoutMs?: number | null;
}

const USER_AGENT = 'trove-sdk-ts/0.1.0';

/**
 * Low-level HTTP transport: resolves paths against the tracking URI, encodes JSON with int64
 * fidelity, retries transient failures with exponential backoff and turns error replies into
 * {@link TroveError}s carrying the server's `error_code`.
 *
 * @example
 * const http = new HttpClient({ trackingUri: 'http://127.0.0.1:5000/w/team-a', auth: { token: 't' } });
 * const { experiment } = await http.get<{ experiment: Experiment }>('/api/2.0/mlflow/experiments/get', { experiment_id: '1' });
 */
export class HttpClient {
  /** Base URL every path is appended to, without a trailing slash (workspace prefix included). */
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: HttpClientOptions = {}) {
    const uri = new URL(options.trackingUri ?? 'http://127.0.0.1:5000');
    if (uri.protocol !== 'http:' && uri.protocol !== 'https:')
      throw new TroveError('INVALID_PARAMETER_VALUE', `Tracking URI must be http(s), got '${uri.protocol}'.`);
    let auth = options.auth;
    if (!auth && uri.username)
      auth = { username: decodeURIComponent(uri.username), password: decodeURIComponent(uri.password) };
    const path = uri.pathname.replace(/\/+$/, '');
    const ws = options.workspace ? `/w/${encodeURIComponent(options.workspace)}` : '';
    this.baseUrl = `${uri.origin}${path}${ws}`;
    this.headers = { 'user-agent': USER_AGENT, ...options.headers };
    if (auth) this.headers.authorization = authorization(auth);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** Absolute URL of `path` (relative to the base, or already absolute) with `query` encoded. */
  url(path: string, query?: Query): string {
    const base = /^https?:\/\//.test(path) ? path : this.baseUrl + path;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
    const qs = params.toString();
    return qs ? `${base}?${qs}` : base;
  }

  /** GET with query parameters; resolves to the parsed JSON reply. */
  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, { query });
  }

  /** POST a JSON body (BigInt values are written as bare numbers); resolves to the parsed reply. */
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.json<T>('POST', path, { body: stringifyJson(body), headers: { 'content-type': 'application/json' } });
  }

  /** Sends a request and parses the JSON reply (an empty body reads as `{}`). */
  async json<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    const text = await res.text();
    if (text.trim() === '') return {} as T;
    try {
      return parseJson(text) as T;
    } catch {
      throw new TroveError(
        'INTERNAL_ERROR',
        `${method} ${path} answered 200 with a body that is not JSON: ${text.slice(0, 200)}`,
      );
    }
  }

  /**
   * Sends a request, retrying 429/502/503/504 and network errors (bodies given as a one-shot
   * stream are sent once). Resolves to a 2xx response, unread; throws a TroveError otherwise.
   */
  async send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    const url = this.url(path, options.query);
    const { body } = options;
    const replayable = body === undefined || typeof body === 'function' || !isOneShot(body);
    const attempts = replayable ? Math.max(1, this.retry.maxAttempts) : 1;
    const timeout = options.timeoutMs === undefined ? this.timeoutMs : options.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const init: RequestInit & { duplex?: 'half' } = { method, headers: { ...this.headers, ...options.headers } };
      if (body !== undefined) {
        init.body = typeof body === 'function' ? body() : body;
        init.duplex = 'half';
      }
      if (timeout !== null && timeout > 0) init.signal = AbortSignal.timeout(timeout);
      let res: Response;
      try {
        res = await this.fetchFn(url, init);
      } catch (e) {
        if (attempt >= attempts) throw networkError(e, method, url, attempt);
        await sleep(backoffDelay(attempt, this.retry));
        continue;
      }
      if (res.ok) return res;
      const text = await res.text().catch(() => '');
      if (!isRetryableStatus(res.status) || attempt >= attempts) throw errorFromResponse(res.status, text, method, url);
      await sleep(backoffDelay(attempt, this.retry, res.headers.get('retry-after')));
    }
  }
}

/** Connection options from MLflow's environment variables (`MLFLOW_TRACKING_URI`, `_TOKEN`, `_USERNAME`, `_PASSWORD`). */
export function optionsFromEnv(env: Record<string, string | undefined> = process.env): HttpClientOptions {
  const options: HttpClientOptions = {};
  if (env.MLFLOW_TRACKING_URI) options.trackingUri = env.MLFLOW_TRACKING_URI;
  if (env.MLFLOW_TRACKING_TOKEN) options.auth = { token: env.MLFLOW_TRACKING_TOKEN };
  else if (env.MLFLOW_TRACKING_USERNAME)
    options.auth = { username: env.MLFLOW_TRACKING_USERNAME, password: env.MLFLOW_TRACKING_PASSWORD ?? '' };
  return options;
}

function authorization(auth: Auth): string {
  if ('token' in auth) return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** Streams and async iterables can be read once; strings, buffers, blobs and forms can be resent. */
function isOneShot(body: BodyInit): boolean {
  return body instanceof ReadableStream || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}
