import { request as httpRequest } from 'node:http';
import { parseServerConfig } from '@trove/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startServer, type TestServer } from '../../support/server.ts';

// Issue 12, item 7: what a server is without anyone configuring security.
const ADMIN = { username: 'admin', password: 'admin-pass-1' };
const AUTH_ON = {
  config: { auth: true },
  env: { TROVE_ADMIN_USERNAME: ADMIN.username, TROVE_ADMIN_PASSWORD: ADMIN.password },
};
const basic = (username: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
});

const servers: TestServer[] = [];
async function start(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A GET with any Host header (fetch will not send a made-up one). */
function getWithHost(server: TestServer, path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('binding', () => {
  it('refuses a non-loopback --host with auth off, unless --insecure-no-auth', () => {
    expect(() => parseServerConfig({ host: '0.0.0.0' }, {})).toThrow(
      /--host 0\.0\.0\.0 would serve every experiment and model to anyone who can reach it, with no sign-in/,
    );
    expect(parseServerConfig({ host: '0.0.0.0', insecureNoAuth: true }, {}).host).toBe('0.0.0.0');
    expect(parseServerConfig({ host: '0.0.0.0', auth: true }, {}).host).toBe('0.0.0.0');
    expect(parseServerConfig({}, {}).host).toBe('127.0.0.1');
  });

  it('checks TROVE_SECRET_KEY and TROVE_CORS_ORIGINS when the server starts', () => {
    expect(() => parseServerConfig({}, { TROVE_SECRET_KEY: 'too-short' })).toThrow(/TROVE_SECRET_KEY must be 32 bytes/);
    expect(() => parseServerConfig({}, { TROVE_CORS_ORIGINS: '*' })).toThrow(/TROVE_CORS_ORIGINS: '\*' is no origin/);
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    for (const key of [hex, b64])
      expect(parseServerConfig({}, { TROVE_SECRET_KEY: key }).webhooks.secretKey).toBeDefined();
  });
});

describe('sign-in throttling', () => {
  it('answers 429 to the 11th attempt on one account, even with the right password, until the window passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const server = await start(AUTH_ON);
    await server.call(
      'POST',
      '/api/2.0/mlflow/users/create',
      { username: 'tom', password: 'tom-pass-1' },
      basic(ADMIN.username, ADMIN.password),
    );
    const me = (password: string) => server.call('GET', '/api/trove/v1/auth/me', undefined, basic('tom', password));
    for (let i = 1; i <= 10; i++) expect((await me(`wrong-${i}`)).status, `attempt ${i}`).toBe(401);
    const eleventh = await me('wrong-11');
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error_code).toBe('RESOURCE_EXHAUSTED');
    expect((await me('tom-pass-1')).status).toBe(429);
    const login = await server.call('POST', '/api/trove/v1/auth/login', { username: 'tom', password: 'tom-pass-1' });
    expect(login.status).toBe(429);
    expect(login.body.error_code).toBe('RESOURCE_EXHAUSTED');
    // Another account from the same address is not locked out by tom's failures.
    expect(
      (await server.call('GET', '/api/trove/v1/auth/me', undefined, basic(ADMIN.username, ADMIN.password))).status,
    ).toBe(200);

    vi.setSystemTime(Date.now() + 14 * 60_000);
    expect((await me('tom-pass-1')).status).toBe(429);
    vi.setSystemTime(Date.now() + 2 * 60_000);
    const back = await me('tom-pass-1');
    expect(back.status).toBe(200);
    expect(back.body.user.username).toBe('tom');
    expect(
      (await server.call('POST', '/api/trove/v1/auth/login', { username: 'tom', password: 'tom-pass-1' })).status,
    ).toBe(200);
  });

  it('limits failures per address across accounts too', async () => {
    const server = await start(AUTH_ON);
    for (let i = 0; i < 50; i++)
      expect(
        (await server.call('POST', '/api/trove/v1/auth/login', { username: `guess-${i}`, password: 'x' })).status,
      ).toBe(401);
    const next = await server.call('POST', '/api/trove/v1/auth/login', ADMIN);
    expect(next.status).toBe(429);
  });
});

describe('Host header check (DNS rebinding)', () => {
  it('serves loopback names only, on any port, when bound to loopback with auth off', async () => {
    const server = await start();
    for (const host of ['localhost', 'localhost:5000', '127.0.0.1:80', '[::1]:5000', 'LOCALHOST:1'])
      expect((await getWithHost(server, '/api/2.0/mlflow/experiments/get?experiment_id=0', host)).status, host).toBe(
        200,
      );
    for (const host of ['evil.example', 'evil.example:5000', 'localhost.evil.example', '127.0.0.1.nip.io']) {
      const res = await getWithHost(server, '/api/2.0/mlflow/experiments/get?experiment_id=0', host);
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error_code: 'PERMISSION_DENIED' });
      expect(JSON.parse(res.body).message).toContain('TROVE_ALLOWED_HOSTS');
    }
    // The UI's pages too: a rebinding page learns nothing from this server.
    expect((await getWithHost(server, '/health', 'evil.example')).status).toBe(403);
  });

  it('adds the names TROVE_ALLOWED_HOSTS lists', async () => {
    const server = await start({ env: { TROVE_ALLOWED_HOSTS: 'trove.internal, mlflow.lan' } });
    expect((await getWithHost(server, '/health', 'trove.internal:5000')).status).toBe(200);
    expect((await getWithHost(server, '/health', 'mlflow.lan')).status).toBe(200);
    expect((await getWithHost(server, '/health', 'localhost')).status).toBe(200);
    expect((await getWithHost(server, '/health', 'evil.example')).status).toBe(403);
  });

  it('leaves Host alone with auth on, where every request proves who sent it', async () => {
    const server = await start(AUTH_ON);
    expect((await getWithHost(server, '/health', 'trove.example.com')).status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (server: TestServer, origin: string) =>
    fetch(`${server.url}/api/2.0/mlflow/experiments/create`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('is closed by default: no Access-Control-Allow-Origin on preflights or answers', async () => {
    const server = await start();
    const pre = await preflight(server, 'https://evil.example');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.status).toBeGreaterThanOrEqual(400);
    const get = await fetch(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers only the origins TROVE_CORS_ORIGINS lists, never with credentials', async () => {
    const server = await start({ env: { TROVE_CORS_ORIGINS: 'https://app.example, http://localhost:3000' } });
    const pre = await preflight(server, 'https://app.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await fetch(`${server.url}/api/2.0/mlflow/experiments/get?experiment_id=0`, {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(get.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(get.headers.get('vary')).toContain('Origin');
    const other = await preflight(server, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('logs', () => {
  it('never print a password, token, cookie or CSRF secret, at any level', async () => {
    const lines: string[] = [];
    const server = await start({ ...AUTH_ON, logger: { level: 'trace', stream: { write: (l) => lines.push(l) } } });
    const adminAuth = basic(ADMIN.username, ADMIN.password);
    const token = (await server.call('POST', '/api/trove/v1/auth/tokens', { name: 'ci' }, adminAuth)).body
      .token as string;
    expect(token).toMatch(/^trove_/);
    const login = await server.call('POST', '/api/trove/v1/auth/login', ADMIN);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = login.body.csrf_token as string;

    expect(
      (await server.call('GET', '/api/trove/v1/auth/me', undefined, { authorization: `Bearer ${token}` })).status,
    ).toBe(200);
    await server.call('GET', `/api/2.0/mlflow/experiments/get?experiment_id=0&token=${token}&access_token=${token}`);
    await server.call('GET', `/api/trove/v1/auth/sso/callback?code=${token}&state=${csrf}`);
    await server.call(
      'POST',
      '/api/2.0/mlflow/experiments/create',
      { name: 'logged' },
      { cookie, 'x-csrf-token': csrf },
    );
    await server.call('GET', '/api/trove/v1/auth/me', undefined, basic(ADMIN.username, 'a-wrong-password'));

    const text = lines.join('');
    expect(text).toContain('incoming request');
    expect(text).toContain('[redacted]');
    for (const secret of [
      token,
      token.slice(6),
      ADMIN.password,
      'a-wrong-password',
      adminAuth.authorization.slice(6),
      cookie.split('=')[1],
      csrf,
    ])
      expect(text.includes(secret), `log holds ${secret.slice(0, 12)}…`).toBe(false);
  });
});
