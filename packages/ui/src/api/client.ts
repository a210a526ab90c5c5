import { apiPrefix, splitWorkspacePath } from '../lib/workspace-path.ts';
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
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

/** The name the UI acts under for writes (sent as `X-Trove-User`); kept in localStorage. */
export function currentUser(): string {
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
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const user = method === 'GET' ? '' : currentUser();
  if (user) headers['x-trove-user'] = user;
  const res = await fetch(base + path, {
    method,
    signal,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    if (!res.ok) throw new ApiError(res.status, 'HTTP_ERROR', text.slice(0, 500) || res.statusText);
    throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent a response that is not JSON.');
  }
  if (!res.ok) throw new ApiError(res.status, json.error_code ?? 'HTTP_ERROR', json.message ?? res.statusText);
  return json as Parsed<T>;
}

export const apiGet = <T>(path: string, query: Query = {}, signal?: AbortSignal) =>
  request<T>('GET', path + queryString(query), undefined, signal);
export const apiPost = <T>(path: string, body: unknown, signal?: AbortSignal) => request<T>('POST', path, body, signal);
export const apiPatch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const apiDelete = <T>(path: string, query: Query = {}) => request<T>('DELETE', path + queryString(query));
export const troveGet = <T>(path: string, query: Query = {}, signal?: AbortSignal) =>
  request<T>('GET', path + queryString(query), undefined, signal, workspaceApiPrefix() + TROVE_BASE);
export const troveSend = <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
  request<T>(method, path, body, undefined, workspaceApiPrefix() + TROVE_BASE);
/** Native calls that are not per workspace (the workspace list). */
export const troveRootGet = <T>(path: string, signal?: AbortSignal) =>
  request<T>('GET', path, undefined, signal, TROVE_BASE);

/** URL of one run artifact, for `<img>`, `<audio>`, `<video>` and downloads (the server honours Range). */
export function artifactUrl(runId: string, path: string): string {
  return `${workspaceApiPrefix()}/get-artifact${queryString({ run_uuid: runId, path })}`;
}
