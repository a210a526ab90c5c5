import { parseServerConfig } from '@trove/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginSealer, SSO_STATE_COOKIE } from '../../../packages/server/src/auth/sso-login-state.ts';
import { freePort, startOidcProvider, type TestOidcProvider, troveCallback } from '../../support/oidc-provider.ts';
import { startServer, type TestServer } from '../../support/server.ts';
import { CookieJar, follow, signInAtProvider, visit } from '../../support/sso-browser.ts';

const ADMIN = { username: 'admin', password: 'admin-pass-1' };
const basic = (u: { username: string; password: string }) => ({
  authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
});
const LOGIN = '/api/trove/v1/auth/sso/login';

let provider: TestOidcProvider;
let server: TestServer;

beforeAll(async () => {
  const port = await freePort();
  const troveUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    redirectUris: [troveCallback(troveUrl)],
    accounts: [
      {
        sub: 'sub-alice',
        preferred_username: 'alice',
        email: 'alice@example.com',
        name: 'Alice',
        groups: ['ml-team', 'ml-leads'],
      },
      { sub: 'sub-bob', preferred_username: 'bob', email: 'bob@example.com', groups: ['ml-team'] },
      { sub: 'sub-root', preferred_username: 'root', groups: ['trove-admins'] },
      { sub: 'sub-carol', email: 'carol@example.com', groups: [] },
    ],
  });
  server = await startServer({
    config: { auth: true, port },
    env: {
      TROVE_ADMIN_USERNAME: ADMIN.username,
      TROVE_ADMIN_PASSWORD: ADMIN.password,
      // Nobody may write unless a role says so: the role map is what lets SSO users in.
      TROVE_AUTH_DEFAULT_ROLE: 'none',
      ...provider.troveEnv(troveUrl),
      TROVE_OIDC_ADMIN_GROUPS: 'trove-admins',
      TROVE_OIDC_ROLE_MAP: 'ml-team:editor, ml-leads@research:manager',
      TROVE_OIDC_NAME: 'Company SSO',
    },
  });
  const ws = await server.call('POST', '/api/trove/v1/workspaces', { name: 'research' }, basic(ADMIN));
  expect(ws.status).toBe(200);
  // A local user who already has the name the provider calls bob.
  const bob = await server.call(
    'POST',
    '/api/2.0/mlflow/users/create',
    { username: 'bob', password: 'bob-pass-1' },
    basic(ADMIN),
  );
  expect(bob.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await provider?.stop();
});

/** Signs `sub` in through the provider, from `/auth/sso/login?next=…` to Trove's answer at its callback. */
async function signIn(sub: string, next?: string) {
  const jar = new CookieJar();
  const login = server.url + LOGIN + (next === undefined ? '' : `?next=${encodeURIComponent(next)}`);
  const callback = await signInAtProvider(jar, login, sub);
  const res = await visit(jar, callback.href);
  const session = jar.get(server.url, 'trove_session');
  return { jar, callback, res, session, location: res.headers.get('location') };
}

function withSession(session: string, csrf?: string): Record<string, string> {
  return { cookie: `trove_session=${session}`, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
}

async function me(session: string) {
  const res = await server.call('GET', '/api/trove/v1/auth/me', undefined, withSession(session));
  expect(res.status).toBe(200);
  return res.body;
}

describe('single sign-on', () => {
  it('says on /auth/me that SSO is available, and where', async () => {
    const res = await server.call('GET', '/api/trove/v1/auth/me');
    expect(res.body).toEqual({ auth_enabled: true, sso: { login_url: LOGIN, name: 'Company SSO' } });
  });

  it('signs a new user in: created by subject, groups from the claim, a session like a password sign-in', async () => {
    const { res, session, location } = await signIn('sub-alice', '/experiments?view=table');
    expect(res.status).toBe(302);
    expect(location).toBe('/experiments?view=table');
    expect(session).toBeDefined();
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('trove_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const body = await me(session!);
    expect(body.user).toMatchObject({
      username: 'alice',
      is_admin: false,
      kind: 'user',
      groups: ['ml-leads', 'ml-team'],
    });
    expect(body.csrf_token).toEqual(expect.any(String));
    expect(body.sso).toEqual({ login_url: LOGIN, name: 'Company SSO' });

    const users = await server.call('GET', '/api/trove/v1/admin/users', undefined, basic(ADMIN));
    expect(users.body.users.find((u: { username: string }) => u.username === 'alice')).toMatchObject({
      sso: true,
      email: 'alice@example.com',
      display_name: 'Alice',
    });
    const audit = await server.call(
      'GET',
      '/api/trove/v1/audit?action=trove-server%20GET%20/auth/sso/callback&resource_id=alice',
      undefined,
      basic(ADMIN),
    );
    expect(audit.body.entries[0]).toMatchObject({
      actor: 'alice',
      resource_type: 'user',
      after: { subject: 'sub-alice', created: true, groups: ['ml-team', 'ml-leads'], is_admin: false },
    });
    // The same subject signing in again is the same user.
    const again = await signIn('sub-alice');
    expect((await me(again.session!)).user.id).toBe(body.user.id);
    expect(again.location).toBe('/');
  });

  it('lets the session cookie act on MLflow routes, with the CSRF token on writes', async () => {
    const { session } = await signIn('sub-alice');
    const { csrf_token } = await me(session!);
    const created = await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'sso-exp' },
      withSession(session!, csrf_token),
    );
    expect(created.status).toBe(200);
    const got = await server.call(
      'GET',
      `/api/2.0/mlflow/experiments/get?experiment_id=${created.body.experiment_id}`,
      undefined,
      withSession(session!),
    );
    expect(got.status).toBe(200);
    const noCsrf = await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'x' },
      withSession(session!),
    );
    expect(noCsrf.status).toBe(403);
  });

  it('maps groups to workspace roles (TROVE_OIDC_ROLE_MAP): a user in no mapped group cannot write', async () => {
    await signIn('sub-alice');
    const members = async (ws: string) =>
      (await server.call('GET', `/w/${ws}/api/trove/v1/members`, undefined, basic(ADMIN))).body.members;
    expect(await members('default')).toContainEqual({ kind: 'group', name: 'ml-team', role: 'editor' });
    expect(await members('research')).toContainEqual({ kind: 'group', name: 'ml-leads', role: 'manager' });

    const carol = await signIn('sub-carol');
    const c = await me(carol.session!);
    expect(c.user).toMatchObject({ username: 'carol@example.com', groups: [] });
    const refused = await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'carol-exp' },
      withSession(carol.session!, c.csrf_token),
    );
    expect(refused.status).toBe(403);
  });

  it('makes members of TROVE_OIDC_ADMIN_GROUPS admins, and takes it back when the provider does', async () => {
    const root = await signIn('sub-root');
    expect((await me(root.session!)).user).toMatchObject({
      username: 'root',
      is_admin: true,
      groups: ['trove-admins'],
    });
    const users = await server.call('GET', '/api/trove/v1/admin/users', undefined, withSession(root.session!));
    expect(users.status).toBe(200);

    provider.accounts.set('sub-root', { sub: 'sub-root', preferred_username: 'root', groups: ['ml-team'] });
    const demoted = await signIn('sub-root');
    expect((await me(demoted.session!)).user).toMatchObject({ is_admin: false, groups: ['ml-team'] });
    // The earlier session sees the change too: no stale cached admin.
    const stale = await server.call('GET', '/api/trove/v1/admin/users', undefined, withSession(root.session!));
    expect(stale.status).toBe(403);
  });

  it('never takes over a local user of the same name: the SSO user gets a name of their own', async () => {
    const { session } = await signIn('sub-bob');
    expect((await me(session!)).user.username).toBe('bob-2');
    const local = await server.call(
      'GET',
      '/api/trove/v1/auth/me',
      undefined,
      basic({ username: 'bob', password: 'bob-pass-1' }),
    );
    expect(local.body.user).toMatchObject({ username: 'bob', groups: [] });
  });

  it('follows next only to a path on this server', async () => {
    for (const next of ['https://evil.example/x', '//evil.example/x', '/\\evil.example', '/\t/evil.example', 'x']) {
      const { location, session } = await signIn('sub-alice', next);
      expect(location, next).toBe('/');
      expect(session).toBeDefined();
    }
  });
});

describe('single sign-on failures: a clear 4xx, never a session', () => {
  it('refuses a callback whose state was changed, and the spent state cannot be replayed', async () => {
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, server.url + LOGIN, 'sub-alice');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const res = await visit(jar, tampered.href, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error_code: 'BAD_REQUEST',
      message: expect.stringMatching(/start again/),
    });
    expect(jar.get(server.url, 'trove_session')).toBeUndefined();
    const replay = await visit(jar, callback.href);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toMatch(/text\/html/);
    expect(await replay.text()).toMatch(/Sign-in failed/);
    expect(jar.get(server.url, 'trove_session')).toBeUndefined();
  });

  it('refuses a callback no sign-in in this browser started', async () => {
    const jar = new CookieJar();
    const callback = await signInAtProvider(jar, server.url + LOGIN, 'sub-alice');
    const other = new CookieJar();
    const res = await visit(other, callback.href, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(other.get(server.url, 'trove_session')).toBeUndefined();
  });

  it('refuses an ID token that does not answer this sign-in (nonce)', async () => {
    const jar = new CookieJar();
    // Start at Trove, then change the nonce inside the sealed state, as if the token answered another sign-in.
    const start = await follow(jar, server.url + LOGIN, (next) => next.origin === provider.issuer);
    const sealer = createLoginSealer(provider.clientSecret);
    const pending = sealer.open(decodeURIComponent(jar.get(server.url, SSO_STATE_COOKIE)!))!;
    expect(pending).toBeDefined();
    const forged = encodeURIComponent(sealer.seal({ ...pending, nonce: 'another-nonce' }));
    jar.store(server.url, new Response(null, { headers: { 'set-cookie': `${SSO_STATE_COOKIE}=${forged}` } }));
    const callback = await signInAtProvider(jar, start.next!.href, 'sub-alice');
    const res = await visit(jar, callback.href, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error_code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/verification/),
    });
    expect(jar.get(server.url, 'trove_session')).toBeUndefined();
  });

  it('answers 401 when the user refuses at the provider', async () => {
    const jar = new CookieJar();
    const toForm = await follow(jar, server.url + LOGIN);
    const form = toForm.hops[toForm.hops.length - 1].url;
    const back = await follow(jar, `${form}/abort`, (next) => next.pathname.endsWith('/auth/sso/callback'));
    expect(back.next?.searchParams.get('error')).toBe('access_denied');
    const res = await visit(jar, back.next!.href, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error_code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/refused/),
    });
    expect(jar.get(server.url, 'trove_session')).toBeUndefined();
  });

  it('answers 503 with a clear message when the provider is down, and Trove still starts', async () => {
    const port = await freePort();
    const down = await startServer({
      config: { auth: true },
      env: {
        TROVE_ADMIN_USERNAME: ADMIN.username,
        TROVE_ADMIN_PASSWORD: ADMIN.password,
        TROVE_OIDC_ISSUER: `http://127.0.0.1:${port}`,
        TROVE_OIDC_CLIENT_ID: 'trove',
        TROVE_OIDC_CLIENT_SECRET: 'secret',
        TROVE_PUBLIC_URL: 'http://127.0.0.1:1',
      },
    });
    try {
      const json = await down.call('GET', LOGIN);
      expect(json.status).toBe(503);
      expect(json.body).toMatchObject({
        error_code: 'TEMPORARILY_UNAVAILABLE',
        message: expect.stringMatching(/cannot be reached/),
      });
      const page = await down.call('GET', LOGIN, undefined, { accept: 'text/html' });
      expect(page.status).toBe(503);
      expect(page.body).toMatch(/Sign-in failed/);
      expect(page.headers.get('set-cookie')).toBeNull();
    } finally {
      await down.close();
    }
  });
});

describe('single sign-on configuration', () => {
  const base = {
    TROVE_OIDC_ISSUER: 'https://id.example.com/realms/main',
    TROVE_OIDC_CLIENT_ID: 'trove',
    TROVE_OIDC_CLIENT_SECRET: 's3cret',
    TROVE_PUBLIC_URL: 'https://trove.example.com/',
  };
  const parse =
    (env: Record<string, string>, auth = true) =>
    () =>
      parseServerConfig({ auth }, env);

  it('reads TROVE_OIDC_* once into config.auth.sso', () => {
    const { sso } = parseServerConfig(
      { auth: true, staticPrefix: '/trove' },
      { ...base, TROVE_OIDC_ROLE_MAP: 'a:viewer,b@x@prod:admin' },
    ).auth;
    expect(sso?.redirectUrl.href).toBe('https://trove.example.com/api/trove/v1/auth/sso/callback');
    expect(sso?.scopes).toBe('openid profile email groups');
    expect(sso?.groupsClaim).toBe('groups');
    expect(sso?.loginPath).toBe('/trove/api/trove/v1/auth/sso/login');
    expect(sso?.roleMap).toEqual([
      { group: 'a', workspace: 'default', role: 'viewer' },
      { group: 'b@x', workspace: 'prod', role: 'admin' },
    ]);
  });

  it('refuses what cannot work, saying why', () => {
    expect(parse(base, false)).toThrow(/needs authentication on/);
    const { TROVE_PUBLIC_URL: _, ...noAddress } = base;
    expect(parse(noAddress)).toThrow(/TROVE_PUBLIC_URL/);
    expect(parse({ ...noAddress, TROVE_OIDC_REDIRECT_URL: 'https://trove.example.com/elsewhere' })).toThrow(
      /must end with/,
    );
    expect(parse({ ...base, TROVE_OIDC_ISSUER: 'http://id.example.com' })).toThrow(/must use https/);
    expect(parse({ ...base, TROVE_OIDC_CLIENT_SECRET: '' })).toThrow(/TROVE_OIDC_CLIENT_SECRET is required/);
    expect(parse({ ...base, TROVE_OIDC_ROLE_MAP: 'team:owner' })).toThrow(/TROVE_OIDC_ROLE_MAP entry 'team:owner'/);
    expect(parse({ ...base, TROVE_OIDC_GROUPS_CLAIM: '', TROVE_OIDC_ADMIN_GROUPS: 'a' })).toThrow(
      /need a groups claim/,
    );
    expect(parse({ TROVE_OIDC_CLIENT_ID: 'x' })).toThrow(/without TROVE_OIDC_ISSUER/);
  });
});
