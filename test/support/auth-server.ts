import type { ServerConfigInput } from '@trove/server';
import { startServer, type TestServer } from './server.ts';

/** A user as the tests sign in: Basic credentials. */
export interface Credentials {
  username: string;
  password: string;
}

export const ADMIN: Credentials = { username: 'admin', password: 'admin-pass-1' };

export const basic = (u: Credentials) => ({
  authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`,
});
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A test server with auth on and `admin` as its first admin (from the environment, as deployments do). */
export function startAuthServer(
  options: { env?: NodeJS.ProcessEnv; config?: ServerConfigInput } = {},
): Promise<TestServer> {
  return startServer({
    config: { auth: true, ...options.config },
    env: { TROVE_ADMIN_USERNAME: ADMIN.username, TROVE_ADMIN_PASSWORD: ADMIN.password, ...options.env },
  });
}

/** Calls made with one set of headers; `ok` throws unless the answer is 200. */
export function as(server: TestServer, headers: Record<string, string>) {
  const call = (method: string, path: string, body?: unknown) => server.call(method, path, body, headers);
  return {
    call,
    async ok(method: string, path: string, body?: unknown) {
      const res = await call(method, path, body);
      if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

/** Creates a user (as the admin) and, for each workspace named, gives them a role there. */
export async function createUser(
  server: TestServer,
  user: Credentials,
  roles: Record<string, 'viewer' | 'editor' | 'manager' | 'admin'> = {},
): Promise<void> {
  const admin = as(server, basic(ADMIN));
  await admin.ok('POST', '/api/trove/v1/admin/users', user);
  for (const [ws, role] of Object.entries(roles))
    await admin.ok('PUT', `/w/${ws}/api/trove/v1/members`, { username: user.username, role });
}
