/**
 * Requests index.html starts before the app's code has loaded (build-plugins/early-requests.ts
 * writes the script): who is signed in, and the first runs page of an experiment opened with a
 * plain URL, the compare page's runs and the charts its URL names. The API client adopts a matching one instead of asking again; each is used once.
 * A mismatch (another body, a failed request) only means the app asks itself, as without them.
 */
interface EarlyRequest {
  method: string;
  url: string;
  body: string | undefined;
  response: Promise<Response>;
}

interface Early {
  me?: Promise<unknown>;
  requests?: EarlyRequest[];
}

const early = (): Early | undefined => (globalThis as { __troveEarly?: Early }).__troveEarly;

/** The early `auth/me` answer's JSON, once; undefined when none was started. */
export function takeEarlySession(): Promise<unknown> | undefined {
  const e = early();
  const me = e?.me;
  if (e) e.me = undefined;
  return me;
}

/** The response of an early request with exactly this method, URL and body (none for a GET), once. */
export function takeEarlyResponse(
  method: string,
  url: string,
  body: string | undefined,
): Promise<Response> | undefined {
  const requests = early()?.requests;
  if (!requests || requests.length === 0) return undefined;
  const i = requests.findIndex((r) => r.method === method && r.url === url && r.body === body);
  if (i < 0) return undefined;
  const [taken] = requests.splice(i, 1);
  return taken.response;
}
