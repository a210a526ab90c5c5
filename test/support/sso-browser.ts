/**
 * Just enough of a browser to walk an SSO sign-in with fetch: cookies kept per host (paths and
 * expiry ignored, except deletion), redirects followed by hand so each hop can be looked at.
 */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: string, res: Response): void {
    const host = new URL(url).host;
    const jar = this.byHost.get(host) ?? new Map<string, string>();
    this.byHost.set(host, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const removed = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (removed) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1).trim());
    }
  }

  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).host)?.get(name);
  }

  header(url: string): string {
    const jar = this.byHost.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}

export interface Hop {
  url: string;
  status: number;
  location?: string;
}

/** One request as a browser makes it: the jar's cookies sent, its answer's cookies kept. */
export async function visit(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  headers.set('accept', headers.get('accept') ?? 'text/html');
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(url, res);
  return res;
}

/**
 * Follows redirects from `url` until an answer that is not one, or until `stop` says so about the
 * next URL (which is then not fetched). Answers the hops and the last response.
 */
export async function follow(
  jar: CookieJar,
  url: string,
  stop: (next: URL) => boolean = () => false,
): Promise<{ hops: Hop[]; last: Response; next?: URL }> {
  const hops: Hop[] = [];
  let current = url;
  for (let i = 0; i < 20; i++) {
    const res = await visit(jar, current);
    const location = res.headers.get('location') ?? undefined;
    hops.push({ url: current, status: res.status, location });
    if (res.status < 300 || res.status >= 400 || location === undefined) return { hops, last: res };
    const next = new URL(location, current);
    if (stop(next)) return { hops, last: res, next };
    current = next.href;
  }
  throw new Error(`Too many redirects from ${url}`);
}

/**
 * Signs in at the dev sign-in form of the provider `test/support/oidc-provider.ts` starts: from
 * Trove's `loginUrl` to the provider's form, submitted as `sub`, and back to Trove's callback,
 * which is not fetched: answers its URL so a test can look at it (or change it) first.
 */
export async function signInAtProvider(jar: CookieJar, loginUrl: string, sub: string): Promise<URL> {
  const toForm = await follow(jar, loginUrl);
  const form = toForm.hops[toForm.hops.length - 1].url;
  if (!/\/interaction\/[^/]+$/.test(new URL(form).pathname))
    throw new Error(`Expected the provider's sign-in form, got ${form} (${toForm.last.status})`);
  const submitted = await visit(jar, form, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login: sub, password: 'any' }).toString(),
  });
  const resume = submitted.headers.get('location');
  if (!resume) throw new Error(`The provider's form answered ${submitted.status}: ${await submitted.text()}`);
  const back = await follow(jar, new URL(resume, form).href, (next) => next.pathname.endsWith('/auth/sso/callback'));
  if (!back.next) throw new Error(`The provider did not send the browser back: ${JSON.stringify(back.hops)}`);
  return back.next;
}
