import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, parseServerConfig } from '@trove/server';
import { openStore } from '@trove/store';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access, AccessInput } from '../../../packages/server/src/auth/route-access.ts';
import { createRouter, type RouteEntry } from '../../../packages/server/src/http/router.ts';
import { ADMIN, as, basic, bearer, type Credentials, createUser, startAuthServer } from '../../support/auth-server.ts';
import { type TestServer, toQuery } from '../../support/server.ts';

/**
 * The authorization matrix (issue 12): every route the app mounts × every kind of caller × their
 * own workspace and another one. Generated from the route table (`server.catalog` carries each
 * route's declared access), so a new route is swept the day it is added, and a route whose access
 * kind this file does not know fails it. What is checked is the gate only: a caller the declared
 * access denies gets 401 (anonymous) or 403; a caller it allows gets anything but 401 and 403.
 *
 * Non-members get nothing here (default role `none`, default permission `NO_PERMISSIONS`), so
 * the other workspace denies every caller but its own member and the server admin.
 */

type Role = 'viewer' | 'editor' | 'manager' | 'admin';
type Need = 'read' | 'update' | 'delete' | 'manage' | 'admin';
type Route = RouteEntry;

const A = 'wa';
const B = 'wb';
const ROLE_LEVEL: Record<Role, number> = { viewer: 1, editor: 2, manager: 3, admin: 4 };
const NEED_LEVEL: Record<Need, number> = { read: 1, update: 2, delete: 3, manage: 3, admin: 4 };
/** Experiment and model permissions stop at MANAGE (3); a workspace admin also manages members (4). */
const MANAGE = 3;

const user = (username: string): Credentials => ({ username, password: `${username}-pass-1` });
const VIEWER = user('viewer');
/** A user the routes that change users (delete, demote, re-role) are pointed at, so no caller below loses access. */
const SCRATCH = user('scratch');

interface Caller {
  label: string;
  username?: string;
  serverAdmin?: boolean;
  roles: Partial<Record<string, Role>>;
  /** The role an API token caps the caller at. */
  tokenCap?: Role;
  headers: () => Record<string, string>;
}

let token = '';
const member = (username: string, roles: Caller['roles']): Caller => ({
  label: username,
  username,
  roles,
  headers: () => basic(user(username)),
});
const CALLERS: Caller[] = [
  { label: 'anonymous', roles: {}, headers: () => ({}) },
  member('viewer', { [A]: 'viewer' }),
  member('editor', { [A]: 'editor' }),
  member('manager', { [A]: 'manager' }),
  member('wsadmin', { [A]: 'admin' }),
  { label: 'server admin', username: ADMIN.username, serverAdmin: true, roles: {}, headers: () => basic(ADMIN) },
  member('outsider', { [B]: 'editor' }),
  // An editor of A signed in with a token capped at viewer.
  {
    label: 'viewer token',
    username: 'capped',
    roles: { [A]: 'editor' },
    tokenCap: 'viewer',
    headers: () => bearer(token),
  },
];

/** The resources every request names, created by the server admin (so no caller holds a grant on them). */
interface Fixtures {
  ws: string;
  experimentId: string;
  experimentName: string;
  runId: string;
  artifactDir: string;
  modelName: string;
  loggedModelId: string;
  commentId: string;
  viewId: string;
  traceId: string;
  assessmentId: string;
}

let server: TestServer;
const fixtures: Record<string, Fixtures> = {};

async function createFixtures(ws: string): Promise<Fixtures> {
  const admin = as(server, basic(ADMIN));
  const m = `/w/${ws}/api/2.0/mlflow`;
  const t = `/w/${ws}/api/trove/v1`;
  const experimentName = `experiment-${ws}`;
  const experimentId = (await admin.ok('POST', `${m}/experiments/create`, { name: experimentName })).experiment_id;
  const runId = (await admin.ok('POST', `${m}/runs/create`, { experiment_id: experimentId, start_time: Date.now() }))
    .run.info.run_id;
  await admin.ok('POST', `${m}/runs/log-metric`, { run_id: runId, key: 'm', value: 1, timestamp: Date.now() });
  const artifactDir = `${experimentId}/${runId}/artifacts`;
  const put = await server.call('PUT', `/w/${ws}/api/2.0/mlflow-artifacts/artifacts/${artifactDir}/f.txt`, 'data', {
    ...basic(ADMIN),
    'content-type': 'application/octet-stream',
  });
  expect(put.status).toBe(200);
  const modelName = `model-${ws}`;
  await admin.ok('POST', `${m}/registered-models/create`, { name: modelName });
  await admin.ok('POST', `${m}/model-versions/create`, { name: modelName, source: `runs:/${runId}/model` });
  const loggedModelId = (await admin.ok('POST', `${m}/logged-models`, { experiment_id: experimentId, name: 'lm' }))
    .model.info.model_id;
  const commentId = (await admin.ok('POST', `${t}/runs/${runId}/comments`, { body: 'first' })).comment.comment_id;
  const viewId = (
    await admin.ok('POST', `${t}/experiments/${experimentId}/views`, { name: 'v', state: { version: 1 } })
  ).view.view_id;
  const traceId = (await admin.ok('POST', `${m}/traces`, { experiment_id: experimentId, timestamp_ms: Date.now() }))
    .trace_info.request_id;
  const assessmentId = (
    await admin.ok('POST', `/w/${ws}/api/3.0/mlflow/traces/${traceId}/assessments`, {
      assessment: { assessment_name: 'a', source: { source_type: 'HUMAN', source_id: 'x' }, feedback: { value: 1 } },
    })
  ).assessment.assessment_id;
  return {
    ...{ ws, experimentId, experimentName, runId, artifactDir, modelName, loggedModelId },
    ...{ commentId, viewId, traceId, assessmentId },
  };
}

beforeAll(async () => {
  server = await startAuthServer({
    env: {
      TROVE_AUTH_DEFAULT_ROLE: 'none',
      TROVE_AUTH_DEFAULT_PERMISSION: 'NO_PERMISSIONS',
      // Each caller's password is verified (argon2) once for the whole sweep.
      TROVE_CREDENTIAL_CACHE_MS: '600000',
    },
  });
  const admin = as(server, basic(ADMIN));
  for (const ws of [A, B]) await admin.ok('POST', '/api/trove/v1/workspaces', { name: ws });
  for (const c of CALLERS)
    if (c.username && !c.serverAdmin) await createUser(server, user(c.username), c.roles as never);
  await createUser(server, SCRATCH, { [A]: 'viewer' });
  token = (
    await as(server, basic(user('capped'))).ok('POST', '/api/trove/v1/auth/tokens', { name: 'ci', role: 'viewer' })
  ).token;
  for (const ws of [A, B]) fixtures[ws] = await createFixtures(ws);
});
afterAll(() => server?.close());

// ---------------------------------------------------------------------------------------------
// What the declared access allows: written out from the roles, not read back from the server.

function wsLevel(c: Caller, ws: string): number {
  if (c.serverAdmin) return 4;
  const role = c.roles[ws];
  return capped(c, role ? ROLE_LEVEL[role] : 0);
}

/** The level on the fixtures: nobody but the admin holds a grant, so it is the member's role, at most MANAGE. */
function resourceLevel(c: Caller, ws: string): number {
  if (c.serverAdmin) return 4;
  const role = c.roles[ws];
  return capped(c, role ? Math.min(ROLE_LEVEL[role], MANAGE) : 0);
}

function capped(c: Caller, level: number): number {
  return c.tokenCap ? Math.min(level, ROLE_LEVEL[c.tokenCap]) : level;
}

/** The fixtures' owner and author is the admin who created them. */
const ownsOrManages = (c: Caller, ws: string) => c.username === ADMIN.username || wsLevel(c, ws) >= MANAGE;

function allows(access: Access, c: Caller, ws: string, req: AccessInput): boolean {
  switch (access.kind) {
    case 'public':
      return true;
    case 'user':
    case 'filtered':
      return c.username !== undefined;
    case 'admin':
      return c.serverAdmin === true;
    case 'self':
      if (access.optional === true && req.input[access.field] === undefined) return c.username !== undefined;
      return c.serverAdmin === true || (c.username !== undefined && c.username === req.input[access.field]);
    case 'all':
      return access.of.every((part) => allows(part, c, ws, req));
    case 'workspace':
      return wsLevel(c, ws) >= NEED_LEVEL[access.need];
    case 'experiment':
    case 'run':
    case 'model':
    case 'loggedModel':
    case 'trace':
    case 'artifactPath': {
      const named = access.from(req);
      const none = named === undefined || (Array.isArray(named) && named.length === 0);
      if (none) return ('optional' in access && access.optional === true) || wsLevel(c, ws) >= NEED_LEVEL[access.need];
      return resourceLevel(c, ws) >= NEED_LEVEL[access.need];
    }
    case 'view':
      if (access.need === 'read') return resourceLevel(c, ws) >= 1;
      return resourceLevel(c, ws) >= NEED_LEVEL[access.need] && ownsOrManages(c, ws);
    case 'comment':
      return resourceLevel(c, ws) >= 1 && (access.need === 'read' || ownsOrManages(c, ws));
    default:
      throw new Error(`access kind '${(access as { kind: string }).kind}' is unknown to the matrix: teach allows() it`);
  }
}

// ---------------------------------------------------------------------------------------------
// One request per route and workspace, naming the fixtures.

/** Fields that name what the access checks: always sent. Other fields are sent only when required. */
const LOCATORS = new Set(['experiment_id', 'experiment_ids', 'experiment_name', 'run_id', 'run_uuid', 'run_ids']);

const locatesModel = (access: Access): boolean =>
  access.kind === 'model' || (access.kind === 'all' && access.of.some(locatesModel));
const locatesArtifacts = (access: Access): boolean => access.kind === 'artifactPath';

function paramValue(route: Route, name: string, fx: Fixtures): string {
  switch (name) {
    case 'experiment_id':
      return fx.experimentId;
    case 'run_id':
      return fx.runId;
    case 'model_id':
      return fx.loggedModelId;
    case 'comment_id':
      return fx.commentId;
    case 'view_id':
      return fx.viewId;
    case 'version':
      return '1';
    case 'tag_key':
      return 'k';
    case 'username':
      return SCRATCH.username;
    case 'name':
      if (route.path.startsWith('/workspaces')) return fx.ws;
      if (route.path.startsWith('/admin/groups')) return 'matrix-group';
      return fx.modelName;
    case 'trace_id':
      return fx.traceId;
    case 'assessment_id':
      return fx.assessmentId;
    // A span the fixture trace does not have: the gate is what is checked.
    case 'span_id':
      return '0000000000000001';
    case 'request_id':
      if (route.path.startsWith('/traces')) return fx.traceId;
      return '999999';
    // Workspace-level accesses: the id only has to be well formed.
    case 'webhook_id':
    case 'delivery_id':
    case 'rule_id':
    case 'project_id':
    case 'token_id':
      return '999999';
    default:
      throw new Error(`${route.method} ${route.path}: no fixture for path parameter ':${name}'`);
  }
}

const STRINGS: Record<string, string> = {
  key: 'k',
  new_key: 'k2',
  metric_key: 'm',
  model_json: '{}',
  body: 'a comment',
  url: 'https://example.com/hook',
  stage: 'Staging',
  alias: 'champion',
  color: '#ff0000',
  q: 'e',
  permission: 'READ',
  version: '1',
};

function fieldValue(route: Route, name: string, fx: Fixtures): unknown {
  const field = route.spec[name];
  const self = route.access.kind === 'self';
  const creates = /\/create$/.test(route.path) || (route.method === 'POST' && route.path === '/admin/users');
  switch (name) {
    case 'experiment_id':
      return fx.experimentId;
    case 'experiment_ids':
      return [fx.experimentId];
    case 'experiment_name':
      return fx.experimentName;
    case 'run_id':
    case 'run_uuid':
      return field.repeated ? [fx.runId] : fx.runId;
    case 'run_ids':
      return [fx.runId];
    case 'trace_ids':
      return [fx.traceId];
    case 'trace_id':
      return fx.traceId;
    case 'trace':
      return {
        trace_info: {
          trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: fx.experimentId } },
        },
      };
    case 'locations':
      return [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: fx.experimentId } }];
    case 'name':
      if (locatesModel(route.access)) return fx.modelName;
      return field.required ? `matrix-${name}` : undefined;
    case 'model':
      // The deployment hook names its model `model`.
      return locatesModel(route.access) ? fx.modelName : undefined;
    case 'new_name':
      // Renamed to itself: the fixtures keep their names for the routes after this one.
      return route.path.startsWith('/experiments') ? fx.experimentName : fx.modelName;
    case 'path':
      return locatesArtifacts(route.access) ? fx.artifactDir : undefined;
    case 'source':
      return `runs:/${fx.runId}/model`;
    case 'username':
      return self ? VIEWER.username : creates ? 'matrix-user' : SCRATCH.username;
    case 'password':
      // The viewer's own password, so changing it changes nothing.
      return self ? VIEWER.password : 'matrix-pass-1';
  }
  if (!field.required) return undefined;
  const kind = field.kind;
  if (typeof kind === 'object') return kind.enum[0];
  if (kind === 'string') return field.repeated ? ['x'] : (STRINGS[name] ?? 'x');
  if (kind === 'int64' || kind === 'int32') return name === 'timestamp' ? Date.now() : 1;
  if (kind === 'double') return 1;
  if (kind === 'bool') return false;
  // Objects: any object decodes; what is in it is the handler's business, after the gate.
  return field.repeated ? [{}] : {};
}

interface Request {
  url: string;
  method: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** What the guard reads, for {@link allows}. */
  seen: AccessInput;
}

/**
 * Raw routes carry no message spec: each one's request is written out here (a new one fails the test until it is).
 * `headers` go with the request; `seen` is what the route hands its guard besides the query and body.
 */
const RAW: Record<
  string,
  (fx: Fixtures) => {
    query?: Record<string, string | string[]>;
    body?: unknown;
    tail?: string;
    headers?: Record<string, string>;
    seen?: Record<string, unknown>;
  }
> = {
  'trove-server POST /auth/login': () => ({ body: VIEWER }),
  'trove-server POST /auth/logout': () => ({ body: {} }),
  'trove-server GET /audit': () => ({ query: { max_results: '1' } }),
  'trove GET /experiments/:experiment_id/runs.csv': () => ({ query: { column: 'attributes.status' } }),
  'mlflow-artifacts POST /mpu/create/*': (fx) => ({ tail: fx.artifactDir, body: { path: 'big.bin', num_parts: 1 } }),
  'mlflow-artifacts POST /mpu/complete/*': (fx) => ({
    tail: fx.artifactDir,
    body: { path: 'big.bin', upload_id: 'u', parts: [] },
  }),
  'mlflow-artifacts POST /mpu/abort/*': (fx) => ({ tail: fx.artifactDir, body: { path: 'big.bin', upload_id: 'u' } }),
  'mlflow-artifacts PUT /artifacts/*': (fx) => ({ tail: `${fx.artifactDir}/f.txt`, body: 'data' }),
  'mlflow-artifacts GET /artifacts/*': (fx) => ({ tail: `${fx.artifactDir}/f.txt` }),
  'mlflow-artifacts DELETE /artifacts/*': (fx) => ({ tail: `${fx.artifactDir}/f.txt` }),
  'root GET /get-artifact': (fx) => ({ query: { run_id: fx.runId, path: 'f.txt' } }),
  'root GET /model-versions/get-artifact': (fx) => ({ query: { name: fx.modelName, version: '1', path: 'MLmodel' } }),
  'mlflow POST /upload-artifact': (fx) => ({ query: { run_uuid: fx.runId, path: 'up.txt' }, body: 'data' }),
  'mlflow GET /logged-models/:model_id/artifacts/files': () => ({ query: { artifact_file_path: 'f.txt' } }),
  'mlflow GET /get-trace-artifact': (fx) => ({ query: { request_id: fx.traceId } }),
  'root GET /graphql': () => ({ query: { query: '{ test(inputString: "x") { output } }' } }),
  'root POST /graphql': () => ({ body: { query: '{ test(inputString: "x") { output } }' } }),
  // An allowed caller gets an event stream, which the harness does not read (test/support/server.ts).
  'trove GET /events': (fx) => ({
    query: { topic: [`experiment:${fx.experimentId}`, `run:${fx.runId}`, `model:${fx.modelName}`] },
    seen: { experiment_ids: [fx.experimentId], run_ids: [fx.runId], names: [fx.modelName] },
  }),
  'root POST /v1/traces': (fx) => ({
    body: { resourceSpans: [] },
    headers: { 'x-mlflow-experiment-id': fx.experimentId },
    seen: { experiment_id: fx.experimentId },
  }),
};

const keyOf = (route: Route) => `${route.api} ${route.method} ${route.path}`;

function requestFor(route: Route, fx: Fixtures): Request {
  const params: Record<string, string> = {};
  let path = route.url.replace(/:([a-z_]+)/g, (_, name: string) => {
    params[name] = paramValue(route, name, fx);
    return encodeURIComponent(params[name]);
  });
  if (route.api !== 'trove-server') path = `/w/${fx.ws}${path}`;
  if (route.raw) {
    const raw = RAW[keyOf(route)];
    if (!raw) throw new Error(`${keyOf(route)}: a raw route with no request in RAW`);
    const { query = {}, body, tail, headers: extra, seen } = raw(fx);
    if (tail !== undefined) path = path.replace(/\*$/, tail);
    const input =
      seen ?? ({ ...(body !== null && typeof body === 'object' ? body : {}), ...query } as Record<string, unknown>);
    const headers = { ...(typeof body === 'string' ? { 'content-type': 'application/octet-stream' } : {}), ...extra };
    return { url: path + toQuery(query), method: route.method, body, headers, seen: { input, params, tail } };
  }
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(route.spec)) {
    const v = fieldValue(route, name, fx);
    if (v !== undefined) input[name] = v;
  }
  for (const name of LOCATORS) if (name in route.spec && input[name] === undefined) throw new Error(`unfilled ${name}`);
  const inQuery =
    route.method === 'GET' || (route.method === 'DELETE' && (route.api === 'trove' || route.api === 'trove-server'));
  if (!inQuery) return { url: path, method: route.method, body: input, seen: { input, params } };
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(input)) query[k] = Array.isArray(v) ? v.map(String) : String(v);
  return { url: path + toQuery(query), method: route.method, seen: { input, params } };
}

/**
 * Routes that delete or rename go last, longest paths first (a tag before its model): what they
 * remove no longer names anything for the routes after them (a deleted comment is the handler's 404).
 */
function destructive(route: Route): boolean {
  return route.method === 'DELETE' || /\/(delete|rename|restore|logout)\b/.test(route.path);
}

function lastOnes(routes: Route[]): Route[] {
  return routes.filter(destructive).sort((a, b) => b.path.length - a.path.length);
}

/** Runs `work` over `items`, at most `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

describe('authorization matrix', () => {
  it('every route × caller × workspace passes the gate its declared access sets, and no other', {
    timeout: 120_000,
  }, async () => {
    const catalog = server.catalog as unknown as Route[];
    expect(catalog.length).toBeGreaterThan(150);
    const failures: string[] = [];
    let requests = 0;

    async function sweep(route: Route, ws: string): Promise<void> {
      const req = requestFor(route, fixtures[ws]);
      const verdicts = CALLERS.map((c) => ({ c, allowed: allows(route.access, c, ws, req.seen) }));
      // The callers who are refused go first: what an allowed caller deletes must still be there to refuse.
      for (const group of [verdicts.filter((v) => !v.allowed), verdicts.filter((v) => v.allowed)]) {
        await Promise.all(
          group.map(async ({ c, allowed }) => {
            const res = await server.call(req.method, req.url, req.body, { ...req.headers, ...c.headers() });
            requests++;
            const want = c.username === undefined ? 401 : 403;
            const wrong = allowed ? res.status === 401 || res.status === 403 : res.status !== want;
            if (wrong)
              failures.push(
                `${keyOf(route)} [${route.access.kind}] in ${ws} as ${c.label}: ${allowed ? 'allowed' : `denied (${want})`}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`,
              );
          }),
        );
      }
    }

    // Server-wide routes have no workspace: asked once.
    const cells = (routes: Route[]) =>
      routes.flatMap((route) => (route.api === 'trove-server' ? [A] : [A, B]).map((ws) => ({ route, ws })));
    // Routes that change nothing another route's gate reads run side by side; the destructive ones one by one.
    await inParallel(cells(catalog.filter((r) => !destructive(r))), 6, ({ route, ws }) => sweep(route, ws));
    for (const { route, ws } of cells(lastOnes(catalog))) await sweep(route, ws);

    expect(failures, failures.join('\n')).toEqual([]);
    expect(requests).toBeGreaterThan(2000);
  });

  it('knows every access kind the route table uses (an unknown kind fails, it is never read as allowed)', () => {
    const made = { kind: 'made-up' } as unknown as Access;
    expect(() => allows(made, CALLERS[1], A, { input: {}, params: {} })).toThrow(/unknown to the matrix/);
    for (const route of server.catalog as unknown as Route[])
      for (const c of CALLERS)
        expect(() => allows(route.access, c, A, requestFor(route, fixtures[A]).seen)).not.toThrow();
  });
});

describe('a route without an access rule', () => {
  const fakeGuard = {
    check: async () => ({ via: 'open' as const, groupIds: [] }),
    audit: {} as never,
  };

  it('cannot be mounted: the router throws when it is declared', () => {
    const router = createRouter(Fastify(), async () => ({ id: 1 }) as never, fakeGuard);
    expect(() => router.rpc('GET', '/experiments/made-up', {}, async () => ({}))).toThrow(/declares no access/);
    expect(() => router.raw('GET', '/made-up', async () => ({}), { api: 'root' })).toThrow(/declares no access/);
    // With an inline access it mounts.
    expect(() =>
      router.json(
        { method: 'GET', path: '/made-up', spec: {}, api: 'trove', access: { kind: 'user' } },
        async () => ({}),
      ),
    ).not.toThrow();
  });

  it('cannot be planted beside the router: the app refuses an API route mounted outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trove-plant-'));
    const store = await openStore(':memory:');
    try {
      const config = parseServerConfig(
        { port: 0, backendStoreUri: ':memory:', artifactsDestination: join(dir, 'a'), auth: true, logLevel: 'silent' },
        {},
      );
      const app = await createApp({ config, store, logger: false });
      expect(() => app.get('/api/2.0/mlflow/sneaky', async () => ({}))).toThrow(/outside the router/);
      expect(() => app.post('/anything', async () => ({}))).toThrow(/outside the router/);
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
