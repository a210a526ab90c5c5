import type { TestServer } from './server.ts';
import { toQuery } from './server.ts';

/** Shared by the hostile-input sweeps (bad-input-sweep, property-sweep): one route, one request. */
export type Route = TestServer['catalog'][number];

/** Text written into a JSON body verbatim (deep nesting, numbers no JS value prints). */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * JSON text the way clients may write it: BigInt as bare digits (beyond 2^63 included), NaN and
 * ±Infinity as Python's `json` writes them (bare tokens), {@link JsonText} verbatim.
 */
export function jsonText(v: unknown): string {
  if (v instanceof JsonText) return v.text;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}:${jsonText((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A route's path with every `:param` filled with `value` (URL-encoded). */
export function fillPath(path: string, value: string): string {
  return path.replace(/:[a-z_]+/g, encodeURIComponent(value));
}

export function routeUrl(route: Route, pathValue: string): string {
  return fillPath(route.url, pathValue);
}

/**
 * Sends `body` to a route: as JSON text for POST/PATCH/DELETE, as a query string for GET (an
 * object's fields become parameters, strings as they are and other values as JSON text; an array
 * value repeats the parameter).
 */
export async function sendHostile(
  server: TestServer,
  route: Route,
  url: string,
  body: unknown,
): Promise<Awaited<ReturnType<TestServer['call']>>> {
  if (route.method !== 'GET')
    return server.call(route.method, url, jsonText(body), { 'content-type': 'application/json' });
  const query: Record<string, string | string[]> = {};
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof JsonText)) {
    for (const [k, v] of Object.entries(body)) {
      if (v === undefined) continue;
      query[k] = Array.isArray(v) && v.length > 0 && v.length < 5 ? v.map(queryValue) : queryValue(v);
    }
  }
  return server.call('GET', url + toQuery(query));
}

function queryValue(v: unknown): string {
  return typeof v === 'string' ? v : jsonText(v);
}

/** What is wrong with an answer to hostile input (a 5xx, or an error without MLflow's envelope); undefined when nothing is. */
export function answerProblem(res: { status: number; body: any }): string | undefined {
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status >= 200 && res.status < 300) return undefined;
  const b = res.body;
  if (b === null || typeof b !== 'object' || typeof b.error_code !== 'string' || typeof b.message !== 'string')
    return `answered ${res.status} without {error_code, message}`;
  return undefined;
}

/** One line for a failure report: the request, shortened, and what came back. */
export function describeFailure(
  route: Route,
  url: string,
  body: unknown,
  res: { status: number; body: any },
  problem: string,
): string {
  return `${route.method} ${url.slice(0, 120)} ${jsonText(body).slice(0, 160)} → ${problem}: ${JSON.stringify(res.body).slice(0, 200)}`;
}
