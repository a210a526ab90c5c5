import { apiPrefix, splitWorkspacePath } from '../lib/workspace-path.ts';
import { takeEarlyResponse } from './early-requests.ts';
import { loadSession, sessionLost, sessionNow } from './session.ts';
import type { Parsed } from './types.ts';

/**
 * Small fetch wrappers over the MLflow API's `/ajax-api` twin (what MLflow's own UI calls).
 * Errors keep the server's `{error_code, message}`, which the UI shows as is: a filter with a
 * syntax error tells the user where. Every call goes to the workspace in the address bar
 * (`/w/<name>/…` for workspaces other than `default`), except the workspace list itself.
 *
 * Responses are typed with @trove/protocol's shapes, where int64 fields are `number | bigint`;
 * `request` decodes each body once, with JSON.parse, so the UI holds them as numbers
 * ({@link Parsed}; one beyond 2^53 is rounded, which a chart or a date does not notice).
 *
 * With authentication on, writes carry the session's CSRF token, and a 401 ends the session in
 * the UI (the app then shows the sign-in page). `x-trove-ui` tells the server not to answer 401s
 * with `WWW-Authenticate`, which would open the browser's own password dialog.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What was asked (`POST /api/trove/v1/admin/users`), for an "access denied" that says what was refused. */
    readonly request = '',
  ) {
    super(message);
  }
}

export const API_BASE = '/ajax-api/2.0/mlflow';

type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Trove's native API (review requests, comments, activity, webhook deliveries). */
export const TROVE_BASE = '/api/trove/v1';

const USER_KEY = 'trove.user';

/**
 * The name the UI acts under for writes: the signed-in user with authentication on, else the
 * "Acting as" name (sent as `X-Trove-User`), kept in localStorage.
 */
export function currentUser(): string {
  const session = sessionNow();
  if (session?.auth_enabled) return session.user?.username ?? '';
  try {
    return localStorage.getItem(USER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setCurrentUser(name: string): void {
  try {
    if (name) localStorage.setItem(USER_KEY, name);
    else localStorage.removeItem(USER_KEY);
  } catch {
    // storage disabled: the name lasts until reload
  }
  window.dispatchEvent(new Event('trove-user'));
}

/** `/w/<name>` for the workspace the UI is in, `''` for `default`. */
function workspaceApiPrefix(): string {
  return apiPrefix(splitWorkspacePath(window.location.pathname).workspace);
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  base = workspaceApiPrefix() + API_BASE,
): Promise<Parsed<T>> {
  const headers: Record<string, string> = { 'x-trove-ui': '1' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'GET') {
    // Reads about "me" (the inbox, watches) need the acting name too; with auth on it is ignored.
    const user = currentUser();
    if (user) headers['x-trove-user'] = user;
  } else {
    // A write waits for the session: with auth on, it must carry the session's CSRF token.
    const session = await loadSession();
    if (session.auth_enabled && session.csrf_token) headers['x-csrf-token'] = session.csrf_token;
    const user = session.auth_enabled ? '' : currentUser();
    if (user) headers['x-trove-user'] = user;
  }
  const text = body === undefined ? undefined : JSON.stringify(body);
  const res =
    (await adoptEarly(method, base + path, text)) ??
    (await fetch(base + path, { method, signal, headers, body: text }));
  const what = `${method} ${(base + path).split('?')[0]}`;
  if (res.status === 401) sessionLost();
  const reply = await res.text();
  let json: any = {};
  try {
    json = reply ? JSON.parse(reply) : {};
  } catch {
    if (!res.ok) throw new ApiError(res.status, 'HTTP_ERROR', reply.slice(0, 500) || res.statusText, what);
    throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent a response that is not JSON.', what);
  }
  if (!res.ok) throw new ApiError(res.status, json.error_code ?? 'HTTP_ERROR', json.message ?? res.statusText, what);
  return json as Parsed<T>;
}

/** The response of the same request started early by index.html (api/early-requests.ts), if it succeeded. */
async function adoptEarly(method: string, url: string, body: string | undefined): Promise<Response | undefined> {
  const early = takeEarlyResponse(method, url, body);
  if (!early) return undefined;
  const res = await early.catch(() => undefined);
  return res?.ok ? res : undefined;
}

export const apiGet = <T>(path: string, query: Query = {}, signal?: AbortSignal) =>
  request<T>('GET', path + queryString(query), undefined, signal);
export const apiPost = <T>(path: string, body: unknown, signal?: AbortSignal) => request<T>('POST', path, body, signal);
export const apiPatch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const apiDelete = <T>(path: string, query: Query = {}) => request<T>('DELETE', path + queryString(query));
/** MLflow's own DELETE endpoints (`registered-models/delete`, `…/delete-tag`, `…/alias`) read a JSON body, as its client sends. */
export const apiDeleteJson = <T>(path: string, body: unknown) => request<T>('DELETE', path, body);
export const troveGet = <T>(path: string, query: Query = {}, signal?: AbortSignal) =>
  request<T>('GET', path + queryString(query), undefined, signal, workspaceApiPrefix() + TROVE_BASE);
export const troveSend = <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
  request<T>(method, path, body, undefined, workspaceApiPrefix() + TROVE_BASE);
/** MLflow 3's API (`/ajax-api/3.0/mlflow`): trace assessments. */
export const apiV3Post = <T>(path: string, body: unknown) =>
  request<T>('POST', path, body, undefined, `${workspaceApiPrefix()}/ajax-api/3.0/mlflow`);
/** Native calls that are not per workspace (the workspace list, sign-in, users, the audit log). */
export const troveRootGet = <T>(path: string, signal?: AbortSignal) =>
  request<T>('GET', path, undefined, signal, TROVE_BASE);
export const troveRootSend = <T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
  request<T>(method, path, body, undefined, TROVE_BASE);

/** URL of a native GET in the current workspace, for links the browser follows itself (downloads). */
export function troveUrl(path: string, query: Query = {}): string {
  return `${workspaceApiPrefix()}${TROVE_BASE}${path}${queryString(query)}`;
}

/** URL of one run artifact, for `<img>`, `<audio>`, `<video>` and downloads (the server honours Range). */
export function artifactUrl(runId: string, path: string): string {
  return `${workspaceApiPrefix()}/get-artifact${queryString({ run_uuid: runId, path })}`;
}
