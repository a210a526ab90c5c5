import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuth, parseServerConfig } from '@trove/server';
import { listApiTokens, openStore, type Store } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, bearer, type Credentials, createUser, startAuthServer } from '../../support/auth-server.ts';
import { testStoreUri } from '../../support/backend.ts';
import type { TestServer } from '../../support/server.ts';

/**
 * API tokens (issue 12): shown once and stored hashed, used as `Authorization: Bearer`, confined to
 * a workspace and capped at a role, expiring, revocable, with their last use recorded. The test
 * reads the token table through the store API, over the server's own database.
 */

const alice: Credentials = { username: 'alice', password: 'alice-pass-1' };
const mallory: Credentials = { username: 'mallory', password: 'mallory-pass-1' };
const T = '/api/trove/v1';
const mlflowIn = (ws: string) => `/w/${ws}/api/2.0/mlflow`;

let server: TestServer;
let store: Store;
let release: () => Promise<void>;
let dir: string;
let aliceId: number;
const experiments: Record<string, string> = {};
const runs: Record<string, string> = {};

async function newToken(spec: Record<string, unknown>): Promise<{ token: string; id: number; info: any }> {
  const res = await as(server, basic(alice)).ok('POST', `${T}/auth/tokens`, { name: 'ci', ...spec });
  return { token: res.token, id: res.token_info.id, info: res.token_info };
}

const withToken = (token: string) => as(server, bearer(token));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trove-tokens-'));
  const backend = await testStoreUri(join(dir, 'trove.db'));
  release = backend.release;
  server = await startAuthServer({
    config: { backendStoreUri: backend.uri, artifactsDestination: join(dir, 'artifacts') },
  });
  store = await openStore(backend.uri, { poolSize: 2 });
  const admin = as(server, basic(ADMIN));
  for (const ws of ['wa', 'wb']) await admin.ok('POST', `${T}/workspaces`, { name: ws });
  await createUser(server, alice, { wa: 'editor', wb: 'editor' });
  await createUser(server, mallory);
  aliceId = (await as(server, basic(alice)).ok('GET', `${T}/auth/me`)).user.id;
  for (const ws of ['wa', 'wb']) {
    const a = as(server, basic(alice));
    experiments[ws] = (await a.ok('POST', `${mlflowIn(ws)}/experiments/create`, { name: `e-${ws}` })).experiment_id;
    runs[ws] = (await a.ok('POST', `${mlflowIn(ws)}/runs/create`, { experiment_id: experiments[ws] })).run.info.run_id;
  }
});
afterAll(async () => {
  await store?.close();
  await server?.close();
  await release?.();
  rmSync(dir, { recursive: true, force: true });
});

const logMetric = (token: string, ws: string) =>
  withToken(token).call('POST', `${mlflowIn(ws)}/runs/log-metric`, {
    run_id: runs[ws],
    key: 'loss',
    value: 0.5,
    timestamp: Date.now(),
  });

describe('API tokens', () => {
  it('are shown once, at creation, and stored only as a hash', async () => {
    const { token, id, info } = await newToken({ name: 'shown-once' });
    expect(token).toMatch(/^trove_[A-Za-z0-9_-]{20,}$/);
    expect(token.startsWith(info.prefix)).toBe(true);
    expect(info.prefix.length).toBeLessThan(token.length - 16);
    // The listing names it, never again with its secret.
    const listed = await as(server, basic(alice)).ok('GET', `${T}/auth/tokens`);
    const mine = listed.tokens.find((t: { id: number }) => t.id === id);
    expect(mine).toMatchObject({ id, name: 'shown-once', prefix: info.prefix });
    expect(JSON.stringify(listed)).not.toContain(token);
    // The row holds a SHA-256 of it, and nothing from which it can be read back.
    const rows = await listApiTokens(store.db, aliceId);
    const row = rows.find((r) => Number(r.id) === id);
    expect(row).toBeDefined();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(row?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('authenticate as Authorization: Bearer, for MLflow clients (MLFLOW_TRACKING_TOKEN) and the native API', async () => {
    const { token } = await newToken({});
    expect((await withToken(token).ok('GET', `${T}/auth/me`)).user).toMatchObject({ username: 'alice' });
    expect((await withToken(token).ok('GET', `${mlflowIn('wa')}/runs/get?run_id=${runs.wa}`)).run.info.run_id).toBe(
      runs.wa,
    );
    // A made-up or mangled token is a 401, never an anonymous request.
    for (const wrong of [`${token}x`, token.slice(0, -1), 'trove_nope']) {
      const res = await withToken(wrong).call('GET', `${T}/auth/me`);
      expect([res.status, res.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
    }
  });

  it('are confined to their workspace: a token for wa gets 403 in wb', async () => {
    const { token } = await newToken({ workspace: 'wa' });
    expect((await logMetric(token, 'wa')).status).toBe(200);
    const get = await withToken(token).call('GET', `${mlflowIn('wb')}/experiments/get?experiment_id=${experiments.wb}`);
    expect([get.status, get.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await logMetric(token, 'wb')).status).toBe(403);
    expect((await withToken(token).call('POST', `${mlflowIn('wb')}/experiments/create`, { name: 'x' })).status).toBe(
      403,
    );
    // Searches there find nothing, rather than failing.
    const found = await withToken(token).ok('POST', `${mlflowIn('wb')}/experiments/search`, { max_results: 10 });
    expect(found.experiments).toBeUndefined();
    // The same user with Basic is an editor in wb.
    expect(
      (
        await as(server, basic(alice)).call('POST', `${mlflowIn('wb')}/runs/log-metric`, {
          run_id: runs.wb,
          key: 'loss',
          value: 1,
          timestamp: Date.now(),
        })
      ).status,
    ).toBe(200);
  });

  it('are capped at their role: a viewer token of an editor cannot log a metric; a role never raises', async () => {
    const viewer = (await newToken({ role: 'viewer' })).token;
    const denied = await logMetric(viewer, 'wa');
    expect([denied.status, denied.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await withToken(viewer).call('GET', `${mlflowIn('wa')}/runs/get?run_id=${runs.wa}`)).status).toBe(200);
    expect((await logMetric((await newToken({ role: 'editor' })).token, 'wa')).status).toBe(200);
    // An admin-role token of an editor is still an editor's: no managing members, no server admin.
    const admin = (await newToken({ role: 'admin' })).token;
    expect((await withToken(admin).call('GET', '/w/wa/api/trove/v1/members')).status).toBe(403);
    expect((await withToken(admin).call('GET', `${T}/admin/users`)).status).toBe(403);
  });

  it('expire: refused from the moment they expire, even while their check is cached', async () => {
    const res = await as(server, basic(alice)).call('POST', `${T}/auth/tokens`, { name: 'x', expires_in_days: 0 });
    expect(res.status).toBe(400);
    const { info } = await newToken({ expires_in_days: 1 });
    expect(info.expires_time).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(info.expires_time).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);

    // A token that lives 1.5 s, made through the identity service over the same database.
    const config = parseServerConfig({ auth: true, backendStoreUri: 'unused', artifactsDestination: dir }, {});
    const { token } = await createAuth(store, config.auth).identity.createToken(aliceId, {
      name: 'short',
      expiresTime: Date.now() + 1500,
    });
    expect((await withToken(token).call('GET', `${T}/auth/me`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    const expired = await withToken(token).call('GET', `${T}/auth/me`);
    expect([expired.status, expired.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('are revocable: 401 on the very next request, though the token was just verified', async () => {
    const { token, id } = await newToken({});
    expect((await withToken(token).call('GET', `${T}/auth/me`)).status).toBe(200);
    // Only its owner revokes it.
    expect((await as(server, basic(mallory)).call('DELETE', `${T}/auth/tokens/${id}`)).status).toBe(404);
    expect((await withToken(token).call('GET', `${T}/auth/me`)).status).toBe(200);
    await as(server, basic(alice)).ok('DELETE', `${T}/auth/tokens/${id}`);
    const after = await withToken(token).call('GET', `${T}/auth/me`);
    expect([after.status, after.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
    const listed = await as(server, basic(alice)).ok('GET', `${T}/auth/tokens`);
    expect(listed.tokens.find((t: { id: number }) => t.id === id)?.revoked_time).toBeGreaterThan(0);
  });

  it('record when they were last used', async () => {
    const { token, id, info } = await newToken({});
    expect(info.last_used_time).toBeNull();
    const before = Date.now();
    await withToken(token).ok('GET', `${T}/auth/me`);
    const lastUsed = async () =>
      (await as(server, basic(alice)).ok('GET', `${T}/auth/tokens`)).tokens.find((t: { id: number }) => t.id === id)
        ?.last_used_time ?? 0;
    await expect.poll(lastUsed, { timeout: 5_000 }).toBeGreaterThanOrEqual(before);
  });
});
