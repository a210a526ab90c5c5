import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let t: ReturnType<typeof trove>;
let runId: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  t = trove(server);
  runId = await api.createRun('0');
  await api.ok('POST', '/registered-models/create', { name: 'talk' });
  await api.ok('POST', '/model-versions/create', { name: 'talk', source: `runs:/${runId}/model`, run_id: runId });
});
afterAll(() => server.close());

const V = '/registered-models/talk/versions/1/comments';

describe('comments', () => {
  it('threads on a model version: create, list oldest first, edit and delete only your own', async () => {
    expect((await t.call('POST', V, { body: 'anonymous' })).status).toBe(401);
    const first = (await t.ok('POST', V, { body: 'Latency looks high' }, 'alice')).comment;
    expect(first).toMatchObject({ name: 'talk', version: '1', author: 'alice', body: 'Latency looks high' });
    await t.ok('POST', V, { body: 'Fixed in v2' }, 'bob');
    expect((await t.ok('GET', V)).comments.map((c: { author: string }) => c.author)).toEqual(['alice', 'bob']);

    const foreignEdit = await t.call('PATCH', `/comments/${first.comment_id}`, { body: 'hijack' }, 'bob');
    expect(foreignEdit.status).toBe(403);
    expect(foreignEdit.body.error_code).toBe('PERMISSION_DENIED');
    expect((await t.call('DELETE', `/comments/${first.comment_id}`, undefined, 'bob')).status).toBe(403);
    expect((await t.call('DELETE', `/comments/${first.comment_id}`)).status).toBe(401);

    const edited = (await t.ok('PATCH', `/comments/${first.comment_id}`, { body: 'Latency is fine' }, 'alice')).comment;
    expect(edited.body).toBe('Latency is fine');
    expect(edited.last_updated_timestamp).toBeGreaterThanOrEqual(edited.creation_timestamp);
    await t.ok('DELETE', `/comments/${first.comment_id}`, undefined, 'alice');
    expect((await t.ok('GET', V)).comments.map((c: { body: string }) => c.body)).toEqual(['Fixed in v2']);
    expect((await t.call('PATCH', `/comments/${first.comment_id}`, { body: 'x' }, 'alice')).status).toBe(404);

    const trail = (await t.ok('GET', '/registered-models/talk/activity')).events.filter(
      (e: { entity: string }) => e.entity === 'comment',
    );
    expect(trail.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual([
      'deleted:alice',
      'updated:alice',
      'created:bob',
      'created:alice',
    ]);
    expect(trail[1].payload).toMatchObject({ comment_id: first.comment_id, body: 'Latency is fine', version: '1' });
  });

  it('threads on a run, with the run activity log', async () => {
    const c = (await t.ok('POST', `/runs/${runId}/comments`, { body: 'diverged at step 40' }, 'carol')).comment;
    expect(c).toMatchObject({ run_id: runId, author: 'carol' });
    expect(c.name).toBeUndefined();
    expect((await t.ok('GET', `/runs/${runId}/comments`)).comments).toHaveLength(1);
    const events = (await t.ok('GET', `/runs/${runId}/activity`)).events;
    expect(events[0]).toMatchObject({ entity: 'comment', action: 'created', actor: 'carol', run_id: runId });
  });

  it('pages and rejects bad input', async () => {
    for (let i = 0; i < 3; i++) await t.ok('POST', `/runs/${runId}/comments`, { body: `n${i}` }, 'dave');
    const p1 = await t.ok('GET', `/runs/${runId}/comments?max_results=2`);
    const p2 = await t.ok('GET', `/runs/${runId}/comments?max_results=2&page_token=${p1.next_page_token}`);
    expect([...p1.comments, ...p2.comments].map((x: { body: string }) => x.body)).toEqual([
      'diverged at step 40',
      'n0',
      'n1',
      'n2',
    ]);
    expect(p2.next_page_token).toBeUndefined();

    const bad: [Promise<{ status: number; body: any }>, number][] = [
      [t.call('POST', V, {}, 'alice'), 400],
      [t.call('POST', V, { body: 42 }, 'alice'), 400],
      [t.call('POST', V, { body: 'x'.repeat(70_000) }, 'alice'), 400],
      [t.call('POST', '/registered-models/talk/versions/9/comments', { body: 'x' }, 'alice'), 404],
      [t.call('POST', '/registered-models/nope/versions/1/comments', { body: 'x' }, 'alice'), 404],
      [t.call('POST', '/runs/0123456789abcdef0123456789abcdef/comments', { body: 'x' }, 'alice'), 404],
      [t.call('PATCH', '/comments/abc', { body: 'x' }, 'alice'), 400],
      [t.call('PATCH', '/comments/999999', { body: 'x' }, 'alice'), 404],
      [t.call('GET', `/runs/${runId}/comments?page_token=%%%`), 400],
    ];
    for (const [res, status] of bad) {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(typeof r.body.error_code).toBe('string');
    }
  });

  it('keeps comments inside their workspace', async () => {
    await server.call('POST', '/api/trove/v1/workspaces', { name: 'other' });
    const mine = (await t.ok('POST', V, { body: 'private' }, 'alice')).comment;
    const other = trove(server, 'other');
    expect((await other.call('PATCH', `/comments/${mine.comment_id}`, { body: 'x' }, 'alice')).status).toBe(404);
    expect((await other.call('GET', V)).status).toBe(404);
  });
});
