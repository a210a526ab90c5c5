import { appendLiveEvent, liveHead, readLiveEvents, runInTransaction } from '@trove/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, basic, type Credentials, createUser, startAuthServer } from '../support/auth-server.ts';
import { testBackend } from '../support/backend.ts';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';
import { openSse, type SseClient } from '../support/sse-client.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let exp: string;
let runId: string;
const open: SseClient[] = [];

const events = (topics: string[], extra = '', headers: Record<string, string> = {}) =>
  openSse(
    `${server.url}/api/trove/v1/events?${topics.map((x) => `topic=${encodeURIComponent(x)}`).join('&')}${extra}`,
    headers,
  ).then((c) => {
    open.push(c);
    return c;
  });

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
  exp = await api.createExperiment('live');
  runId = await api.createRun(exp);
});
afterAll(async () => {
  for (const c of open) c.close();
  await server.close();
});

describe('live events (GET /api/trove/v1/events)', () => {
  it('streams new runs, one coalesced metrics event per request, status changes, registry changes and comments', async () => {
    const sse = await events([`experiment:${exp}`, `run:${runId}`, 'model:live-model']);
    expect(sse.status).toBe(200);
    await sse.next('ready');

    const second = await api.createRun(exp, { run_name: 'second' });
    // On PostgreSQL a stream starts after the last event no older transaction can still precede; while
    // another transaction on the server is open, events committed just before it opened (beforeAll's run)
    // may come too.
    expect((await sse.next((e) => e.event === 'run_created' && e.data.run_id === second)).data).toMatchObject({
      run_id: second,
      experiment_id: exp,
      run_name: 'second',
    });

    const ts = Date.now();
    await api.ok('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 1, timestamp: ts, step: 0 },
        { key: 'loss', value: 0.5, timestamp: ts, step: 7 },
        { key: 'loss', value: 0.7, timestamp: ts, step: 3 },
        { key: 'acc', value: 0.1, timestamp: ts, step: 2 },
      ],
    });
    const metrics = await sse.next('metrics');
    expect(metrics.data).toEqual({ run_id: runId, experiment_id: exp, max_steps: { loss: 7, acc: 2 } });

    await api.ok('POST', '/runs/update', { run_id: runId, status: 'KILLED' });
    expect((await sse.next('run')).data).toMatchObject({ run_id: runId, payload: { status: 'KILLED' } });
    await api.ok('POST', '/runs/update', { run_id: second, status: 'FINISHED' });
    expect((await sse.next('run')).data).toMatchObject({
      entity: 'run',
      action: 'finished',
      run_id: second,
      payload: { status: 'FINISHED', experiment_id: exp },
    });

    await api.ok('POST', '/registered-models/create', { name: 'live-model' });
    expect((await sse.next('registry')).data).toMatchObject({
      entity: 'registered_model',
      action: 'created',
      name: 'live-model',
    });
    await t.ok('POST', `/runs/${runId}/comments`, { body: 'diverged' }, 'alice');
    expect((await sse.next('comment')).data).toMatchObject({
      entity: 'comment',
      action: 'created',
      run_id: runId,
      actor: 'alice',
    });
    // Every event with an id is one of the log: ids strictly increase along the stream.
    const ids = sse.events.filter((e) => e.id !== undefined).map((e) => e.id as string);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a metrics event reaches the experiment topic alone, and nothing from other topics arrives', async () => {
    const other = await api.createExperiment('live-other');
    const sse = await events([`experiment:${other}`]);
    await sse.next('ready');
    await api.ok('POST', '/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: Date.now(), step: 1 });
    const mine = await api.createRun(other);
    await api.ok('POST', '/runs/log-metric', { run_id: mine, key: 'y', value: 1, timestamp: Date.now(), step: 4 });
    expect((await sse.next('metrics')).data).toEqual({ run_id: mine, experiment_id: other, max_steps: { y: 4 } });
    expect(sse.events.map((e) => e.event)).toEqual(['ready', 'run_created', 'metrics']);
  });

  it('resumes with Last-Event-ID (header or query): nothing lost, nothing repeated', async () => {
    const topic = `run:${runId}`;
    const first = await events([topic]);
    await first.next('ready');
    const ts = Date.now();
    for (let step = 10; step < 15; step++)
      await api.ok('POST', '/runs/log-metric', { run_id: runId, key: 'r', value: step, timestamp: ts, step });
    for (let i = 0; i < 5; i++) await first.next('metrics');
    const all = first.events.filter((e) => e.event === 'metrics');
    expect(all.map((e) => e.data.max_steps.r)).toEqual([10, 11, 12, 13, 14]);

    // Disconnected after the second event: the rest come from the log, then live ones.
    const resumed = await events([topic], '', { 'last-event-id': all[1].id as string });
    await resumed.next('ready');
    await api.ok('POST', '/runs/log-metric', { run_id: runId, key: 'r', value: 15, timestamp: ts, step: 15 });
    for (let i = 0; i < 4; i++) await resumed.next('metrics');
    const got = resumed.events.filter((e) => e.event === 'metrics');
    expect(got.map((e) => e.data.max_steps.r)).toEqual([12, 13, 14, 15]);
    expect(got.slice(0, 3).map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));

    const byQuery = await events([topic], `&last_event_id=${encodeURIComponent(all[3].id as string)}`);
    await byQuery.next('ready');
    expect(byQuery.events.filter((e) => e.event === 'metrics').map((e) => e.data.max_steps.r)).toEqual([14, 15]);
  });

  it('refuses a request without topics, a malformed topic or a malformed last_event_id (400)', async () => {
    expect((await t.call('GET', '/events')).status).toBe(400);
    expect((await t.call('GET', '/events?topic=bogus')).status).toBe(400);
    expect((await t.call('GET', '/events?topic=experiment:abc')).status).toBe(400);
    const bad = await t.call('GET', `/events?topic=run:${runId}&last_event_id=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('a resume from before what the log still holds is told to resync', async () => {
    const sse = await events([`run:${runId}`], '&last_event_id=0-0');
    await sse.next('ready');
    expect(sse.events.map((e) => e.event)).toEqual(['resync', 'ready']);
  });

  it.skipIf(testBackend() !== 'postgres')(
    'PostgreSQL: an event whose transaction took the smaller id but commits last is still delivered, once',
    async () => {
      const ws = await server.store.db
        .selectFrom('workspaces')
        .select('id')
        .where('name', '=', 'default')
        .executeTakeFirstOrThrow();
      const topic = `${ws.id}/experiment:${exp}`;
      const sse = await events([`experiment:${exp}`]);
      await sse.next('ready');
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let appended!: () => void;
      const inserted = new Promise<void>((resolve) => {
        appended = resolve;
      });
      // T1 takes the smaller id, then waits; T2 takes a larger id and commits; only then T1 commits.
      const t1 = runInTransaction(server.store, async (tx) => {
        await appendLiveEvent(tx, { topics: [topic], name: 'alert', payload: { order: 'first-id-last-commit' } });
        appended();
        await gate;
      });
      await inserted;
      const before = await liveHead(server.store.db);
      await runInTransaction(server.store, (tx) =>
        appendLiveEvent(tx, { topics: [topic], name: 'alert', payload: { order: 'second-id-first-commit' } }),
      );
      // T2's row is committed, but T1 (older) is still open: a reader holds it back rather than
      // moving past T1's smaller id, which would then be skipped for good.
      const held = await readLiveEvents(server.store.db, before, 10);
      expect(held.rows).toEqual([]);
      expect(held.heldBack).toBe(true);
      release();
      await t1;
      const first = await sse.next('alert');
      const second = await sse.next('alert');
      expect([first.data.order, second.data.order]).toEqual(['first-id-last-commit', 'second-id-first-commit']);
      const rowIds = [first.id, second.id].map((id) => Number((id as string).split('-')[1]));
      expect(rowIds[0]).toBeLessThan(rowIds[1]);
      // A client that had seen only what came before resumes with both, once each, in the same order.
      const resumed = await events([`experiment:${exp}`], '', { 'last-event-id': `${before.tx}-${before.id}` });
      await resumed.next('ready');
      expect(resumed.events.filter((e) => e.event === 'alert').map((e) => e.id)).toEqual([first.id, second.id]);
      expect(sse.events.filter((e) => e.event === 'alert')).toHaveLength(2);
    },
  );
});

describe('live events with authentication', () => {
  let auth: TestServer;
  const user = (name: string): Credentials => ({ username: name, password: `${name}-pass-1` });
  const [alice, bob] = ['alice', 'bob'].map(user);
  let secret: string;
  let shared: string;

  beforeAll(async () => {
    auth = await startAuthServer({
      env: { TROVE_AUTH_DEFAULT_ROLE: 'none', TROVE_AUTH_DEFAULT_PERMISSION: 'NO_PERMISSIONS' },
    });
    for (const who of [alice, bob]) await createUser(auth, who, { default: 'editor' });
    const a = as(auth, basic(alice));
    shared = (await a.ok('POST', '/api/2.0/mlflow/experiments/create', { name: 'shared' })).experiment_id;
    secret = (await a.ok('POST', '/api/2.0/mlflow/experiments/create', { name: 'secret' })).experiment_id;
    await a.ok('POST', '/api/2.0/mlflow/experiments/permissions/create', {
      experiment_id: secret,
      username: bob.username,
      permission: 'NO_PERMISSIONS',
    });
  });
  afterAll(() => auth.close());

  const url = (q: string) => `${auth.url}/api/trove/v1/events?${q}`;

  it('needs read on every topic: a topic bob may not read is a 403, his own inbox is fine, another is not', async () => {
    const denied = await openSse(url(`topic=experiment:${shared}&topic=experiment:${secret}`), basic(bob));
    expect(denied.status).toBe(403);
    const anonymous = await openSse(url(`topic=experiment:${shared}`));
    expect(anonymous.status).toBe(401);
    const others = await openSse(url('topic=user:alice'), basic(bob));
    expect(others.status).toBe(403);
    const ok = await openSse(url(`topic=experiment:${shared}&topic=user:bob`), basic(bob));
    open.push(ok);
    expect(ok.status).toBe(200);
    await ok.next('ready');
    const admin = await openSse(url(`topic=experiment:${secret}`), basic(ADMIN));
    open.push(admin);
    expect(admin.status).toBe(200);
  });
});
