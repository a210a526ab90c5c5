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
});
afterAll(() => server.close());

async function model(name: string, versions = 2): Promise<void> {
  await api.ok('POST', '/registered-models/create', { name });
  for (let i = 0; i < versions; i++)
    await api.ok('POST', '/model-versions/create', { name, source: `runs:/${runId}/model`, run_id: runId });
}
const stageOf = async (name: string, v: string) =>
  (await api.ok('GET', `/model-versions/get?name=${name}&version=${v}`)).model_version.current_stage;

describe('review workflow', () => {
  it('leaves MLflow transitions and aliases alone when a model has no policy', async () => {
    await model('free');
    expect(
      (
        await api.ok('POST', '/model-versions/transition-stage', {
          name: 'free',
          version: '1',
          stage: 'production',
          archive_existing_versions: false,
        })
      ).model_version.current_stage,
    ).toBe('Production');
    await api.ok('POST', '/registered-models/alias', { name: 'free', alias: 'champion', version: '1' });
    await api.ok('DELETE', '/registered-models/alias', { name: 'free', alias: 'champion' });
    expect((await t.ok('GET', '/registered-models/free/review-policy')).policy.rules).toEqual([]);
  });

  it('policy → direct transition refused → request → self-approval refused → approvals → applied → activity', async () => {
    await model('fraud');
    const rules = [
      { kind: 'stage', target: 'production', required_approvals: 2 },
      { kind: 'alias', target: 'champion', required_approvals: 1 },
    ];
    expect((await t.call('PUT', '/registered-models/fraud/review-policy', { rules })).status).toBe(401);
    const policy = (await t.ok('PUT', '/registered-models/fraud/review-policy', { rules }, 'alice')).policy;
    expect(policy.rules).toEqual([
      { kind: 'alias', target: 'champion', required_approvals: 1 },
      { kind: 'stage', target: 'Production', required_approvals: 2 },
    ]);

    const direct = await api.post('/model-versions/transition-stage', {
      name: 'fraud',
      version: '2',
      stage: 'Production',
      archive_existing_versions: true,
    });
    expect(direct.status).toBe(403);
    expect(direct.body.error_code).toBe('PERMISSION_DENIED');
    expect(direct.body.message).toContain('POST /api/trove/v1/registered-models/fraud/versions/2/requests');
    expect(await stageOf('fraud', '2')).toBe('None');
    // Stages outside the policy still move directly.
    await api.ok('POST', '/model-versions/transition-stage', {
      name: 'fraud',
      version: '1',
      stage: 'Staging',
      archive_existing_versions: false,
    });
    expect(
      (await api.post('/registered-models/alias', { name: 'fraud', alias: 'champion', version: '2' })).status,
    ).toBe(403);
    await api.ok('POST', '/registered-models/alias', { name: 'fraud', alias: 'shadow', version: '2' });

    expect((await t.call('POST', '/registered-models/fraud/versions/2/requests', { stage: 'Production' })).status).toBe(
      401,
    );
    const created = (
      await t.ok(
        'POST',
        '/registered-models/fraud/versions/2/requests',
        { stage: 'Production', archive_existing_versions: true, comment: 'AUC 0.97' },
        'alice',
      )
    ).request;
    expect(created).toMatchObject({
      name: 'fraud',
      version: '2',
      action: 'transition',
      stage: 'Production',
      archive_existing_versions: true,
      requester: 'alice',
      comment: 'AUC 0.97',
      status: 'pending',
      required_approvals: 2,
      approvals: [],
    });
    const id = created.request_id;

    const self = await t.call('POST', `/registered-models/fraud/requests/${id}/approve`, {}, 'alice');
    expect(self.status).toBe(403);
    expect(self.body.error_code).toBe('PERMISSION_DENIED');
    const first = (await t.ok('POST', `/registered-models/fraud/requests/${id}/approve`, { comment: 'lgtm' }, 'bob'))
      .request;
    expect(first.status).toBe('pending');
    expect(first.approvals).toMatchObject([{ user: 'bob', comment: 'lgtm' }]);
    // The same approver twice is still one approval.
    expect(
      (await t.ok('POST', `/registered-models/fraud/requests/${id}/approve`, {}, 'bob')).request.approvals,
    ).toHaveLength(1);
    expect(await stageOf('fraud', '2')).toBe('None');
    const done = (await t.ok('POST', `/registered-models/fraud/requests/${id}/approve`, {}, 'carol')).request;
    expect(done.status).toBe('approved');
    expect(done.approvals.map((a: { user: string }) => a.user)).toEqual(['bob', 'carol']);
    expect(await stageOf('fraud', '2')).toBe('Production');
    expect((await t.call('POST', `/registered-models/fraud/requests/${id}/approve`, {}, 'dave')).status).toBe(409);

    const activity = (await t.ok('GET', '/registered-models/fraud/activity')).events as {
      entity: string;
      action: string;
      actor?: string;
      payload: any;
    }[];
    const trail = activity.map((e) => `${e.entity}.${e.action}:${e.actor ?? ''}`);
    expect(trail.slice(0, 5)).toEqual([
      'transition_request.applied:carol',
      'model_version.stage_transitioned:carol',
      'transition_request.approved:carol',
      'transition_request.approved:bob',
      'transition_request.created:alice',
    ]);
    expect(trail).toContain('review_policy.updated:alice');
    expect(activity[1].payload).toMatchObject({
      from_stage: 'None',
      to_stage: 'Production',
      archive_existing_versions: true,
    });
  });

  it('alias changes: rejection is final, approval moves the alias, removal needs approval too', async () => {
    const reject = (await t.ok('POST', '/registered-models/fraud/versions/2/requests', { alias: 'champion' }, 'alice'))
      .request;
    expect(
      (await t.call('POST', `/registered-models/fraud/requests/${reject.request_id}/reject`, {}, 'alice')).status,
    ).toBe(403);
    const rejected = (
      await t.ok('POST', `/registered-models/fraud/requests/${reject.request_id}/reject`, { comment: 'not yet' }, 'bob')
    ).request;
    expect(rejected).toMatchObject({ status: 'rejected', rejections: [{ user: 'bob', comment: 'not yet' }] });
    expect(
      (await t.call('POST', `/registered-models/fraud/requests/${reject.request_id}/approve`, {}, 'carol')).status,
    ).toBe(409);
    expect((await api.get('/registered-models/alias', { name: 'fraud', alias: 'champion' })).status).toBe(400);

    const set = (await t.ok('POST', '/registered-models/fraud/versions/2/requests', { alias: 'champion' }, 'alice'))
      .request;
    expect(
      (await t.ok('POST', `/registered-models/fraud/requests/${set.request_id}/approve`, {}, 'bob')).request.status,
    ).toBe('approved');
    expect((await api.ok('GET', '/registered-models/alias?name=fraud&alias=champion')).model_version.version).toBe('2');

    const del = await server.call('DELETE', `${api.base}/registered-models/alias`, {
      name: 'fraud',
      alias: 'champion',
    });
    expect(del.status).toBe(403);
    expect(del.body.message).toContain('"remove_alias":true');
    const removal = (
      await t.ok(
        'POST',
        '/registered-models/fraud/versions/2/requests',
        { alias: 'champion', remove_alias: true },
        'alice',
      )
    ).request;
    expect(removal.action).toBe('delete_alias');
    await t.ok('POST', `/registered-models/fraud/requests/${removal.request_id}/approve`, {}, 'bob');
    expect((await api.get('/registered-models/alias', { name: 'fraud', alias: 'champion' })).status).toBe(400);
  });

  it('cancel is for the requester; lists filter by status and page', async () => {
    const r = (await t.ok('POST', '/registered-models/fraud/versions/1/requests', { stage: 'Archived' }, 'alice'))
      .request;
    expect(r.required_approvals).toBe(1);
    expect((await t.call('POST', `/registered-models/fraud/requests/${r.request_id}/cancel`, {}, 'bob')).status).toBe(
      403,
    );
    expect(
      (
        await t.ok(
          'POST',
          `/registered-models/fraud/requests/${r.request_id}/cancel`,
          { comment: 'wrong version' },
          'alice',
        )
      ).request,
    ).toMatchObject({
      status: 'cancelled',
      status_message: 'wrong version',
    });
    expect((await t.call('POST', `/registered-models/fraud/requests/${r.request_id}/cancel`, {}, 'alice')).status).toBe(
      409,
    );
    expect(await stageOf('fraud', '1')).toBe('Staging');

    const approved = (await t.ok('GET', '/registered-models/fraud/requests?status=approved')).requests;
    expect(approved).toHaveLength(3);
    const page1 = await t.ok('GET', '/registered-models/fraud/requests?max_results=2');
    expect(page1.requests).toHaveLength(2);
    const page2 = await t.ok(
      'GET',
      `/registered-models/fraud/requests?max_results=2&page_token=${page1.next_page_token}`,
    );
    const ids = [...page1.requests, ...page2.requests].map((x: { request_id: string }) => Number(x.request_id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await t.ok('GET', `/registered-models/fraud/requests/${r.request_id}`)).request.status).toBe('cancelled');
  });

  it('deleting a version cancels its pending requests', async () => {
    await model('gone', 1);
    const r = (await t.ok('POST', '/registered-models/gone/versions/1/requests', { stage: 'Staging' }, 'alice'))
      .request;
    await api.ok('DELETE', '/model-versions/delete', { name: 'gone', version: '1' });
    expect((await t.ok('GET', `/registered-models/gone/requests/${r.request_id}`)).request.status).toBe('cancelled');
    expect((await t.call('POST', `/registered-models/gone/requests/${r.request_id}/approve`, {}, 'bob')).status).toBe(
      409,
    );
  });

  it('rejects bad input with MLflow error codes, never a 500', async () => {
    const req = (body: unknown, path = '/registered-models/fraud/versions/1/requests') =>
      t.call('POST', path, body, 'alice');
    const cases: [Promise<{ status: number; body: any }>, number][] = [
      [req({}), 400],
      [req({ stage: 'Staging', alias: 'x' }), 400],
      [req({ stage: 'Live' }), 400],
      [req({ stage: 'None', archive_existing_versions: true }), 400],
      [req({ alias: 'latest' }), 400],
      [req({ alias: 'v3' }), 400],
      [req({ stage: 'Staging' }, '/registered-models/nope/versions/1/requests'), 404],
      [req({ stage: 'Staging' }, '/registered-models/fraud/versions/99/requests'), 404],
      [req({ stage: 'Staging' }, '/registered-models/fraud/versions/one/requests'), 400],
      [req({ stage: 'Staging', comment: 'c'.repeat(70_000) }), 400],
      [t.call('GET', '/registered-models/fraud/requests/999'), 404],
      [t.call('GET', '/registered-models/fraud/requests/abc'), 400],
      [t.call('GET', '/registered-models/fraud/requests?status=weird'), 400],
      [t.call('GET', '/registered-models/fraud/requests?page_token=garbage!'), 400],
      [t.call('GET', '/registered-models/fraud/requests?max_results=0'), 400],
      [
        t.call(
          'PUT',
          '/registered-models/fraud/review-policy',
          { rules: [{ kind: 'tag', target: 'x', required_approvals: 1 }] },
          'alice',
        ),
        400,
      ],
      [
        t.call(
          'PUT',
          '/registered-models/fraud/review-policy',
          { rules: [{ kind: 'stage', target: 'Live', required_approvals: 1 }] },
          'alice',
        ),
        400,
      ],
      [
        t.call(
          'PUT',
          '/registered-models/fraud/review-policy',
          { rules: [{ kind: 'stage', target: 'Staging', required_approvals: 0 }] },
          'alice',
        ),
        400,
      ],
      [
        t.call(
          'PUT',
          '/registered-models/fraud/review-policy',
          {
            rules: [
              { kind: 'alias', target: 'a', required_approvals: 1 },
              { kind: 'alias', target: 'a', required_approvals: 2 },
            ],
          },
          'alice',
        ),
        400,
      ],
      [t.call('PUT', '/registered-models/fraud/review-policy', { rules: 'all' }, 'alice'), 400],
      [t.call('PUT', '/registered-models/fraud/review-policy', {}, 'alice'), 400],
      [
        server.call('PUT', `${t.base}/registered-models/fraud/review-policy`, 'rules=[]', {
          'x-trove-user': 'alice',
          'content-type': 'text/plain',
        }),
        400,
      ],
      [t.call('PUT', '/registered-models/nope/review-policy', { rules: [] }, 'alice'), 404],
      [t.call('POST', '/registered-models/fraud/requests/1/approve', 'not json', 'bob'), 400],
    ];
    for (const [res, status] of cases) {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(typeof r.body.error_code).toBe('string');
    }
  });

  it('a policy on every stage (*) gates all transitions; removing the policy restores direct calls', async () => {
    await model('star', 1);
    await t.ok(
      'PUT',
      '/registered-models/star/review-policy',
      { rules: [{ kind: 'stage', target: '*', required_approvals: 1 }] },
      'alice',
    );
    expect(
      (
        await api.post('/model-versions/transition-stage', {
          name: 'star',
          version: '1',
          stage: 'Archived',
          archive_existing_versions: false,
        })
      ).status,
    ).toBe(403);
    await t.ok('PUT', '/registered-models/star/review-policy', { rules: [] }, 'alice');
    await api.ok('POST', '/model-versions/transition-stage', {
      name: 'star',
      version: '1',
      stage: 'Archived',
      archive_existing_versions: false,
    });
  });
});
