import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, trove } from '../support/server.ts';

let server: TestServer;
let t: ReturnType<typeof trove>;
let exp: string;
let other: string;

const STATE = {
  version: 1,
  filter: "params.optimizer = 'adam'",
  columns: ['metrics.loss', 'params.lr'],
  sort: [{ id: 'metrics.loss', desc: false }],
  group_by: 'params.optimizer',
  pinned: ['r1'],
  hidden: ['r2'],
  colors: { r1: '#ff0000' },
  charts: { version: 1, maxRuns: 50, charts: [{ type: 'line', metric: 'loss', x: 'step', smoothing: 0.5 }] },
  fixed_columns: ['attributes.user_id', 'attributes.status'],
  column_widths: { 'metrics.loss': 180, 'attributes.run_name': 120 },
};

beforeAll(async () => {
  server = await startServer();
  const api = mlflow(server);
  t = trove(server);
  exp = await api.createExperiment('views-a');
  other = await api.createExperiment('views-b');
  await t.ok('POST', '/workspaces', { name: 'elsewhere' });
});
afterAll(() => server.close());

describe('saved views', () => {
  it('create, list per experiment, get, update, rename and delete', async () => {
    const created = (await t.ok('POST', `/experiments/${exp}/views`, { name: 'adam runs', state: STATE }, 'alice'))
      .view;
    expect(created).toMatchObject({
      experiment_id: exp,
      name: 'adam runs',
      owner: 'alice',
      state: { ...STATE, name_contains: '', status: '' },
    });
    expect(created.creation_timestamp).toBe(created.last_updated_timestamp);

    // Absent fields get their defaults; the same name in another experiment is fine.
    const minimal = (
      await t.ok('POST', `/experiments/${other}/views`, { name: 'adam runs', state: { version: 1 } }, 'bob')
    ).view;
    expect(minimal.state).toEqual({
      version: 1,
      filter: '',
      name_contains: '',
      status: '',
      columns: null,
      sort: [],
      group_by: '',
      pinned: [],
      hidden: [],
      colors: {},
      charts: null,
      fixed_columns: null,
      column_widths: {},
    });
    await t.ok('POST', `/experiments/${exp}/views`, { name: 'all', state: { version: 1 } }, 'bob');

    const listed = (await t.ok('GET', `/experiments/${exp}/views`)).views;
    expect(listed.map((v: { name: string; owner: string }) => `${v.name}:${v.owner}`)).toEqual([
      'adam runs:alice',
      'all:bob',
    ]);
    expect((await t.ok('GET', `/views/${created.view_id}`)).view).toEqual(created);

    const updated = (await t.ok('PATCH', `/views/${created.view_id}`, { state: { ...STATE, group_by: '' } }, 'alice'))
      .view;
    expect(updated.state.group_by).toBe('');
    expect(updated.name).toBe('adam runs');
    const renamed = (await t.ok('PATCH', `/views/${created.view_id}`, { name: 'adam' }, 'alice')).view;
    expect(renamed).toMatchObject({ name: 'adam', state: { group_by: '', filter: STATE.filter } });
    expect((await t.ok('GET', `/views/${created.view_id}`)).view).toEqual(renamed);

    await t.ok('DELETE', `/views/${created.view_id}`, undefined, 'alice');
    expect((await t.call('GET', `/views/${created.view_id}`)).status).toBe(404);
    expect((await t.ok('GET', `/experiments/${exp}/views`)).views.map((v: { name: string }) => v.name)).toEqual([
      'all',
    ]);
  });

  it('keeps names unique per experiment and changes only by the owner', async () => {
    const v = (await t.ok('POST', `/experiments/${exp}/views`, { name: 'mine', state: { version: 1 } }, 'carol')).view;
    const dup = await t.call('POST', `/experiments/${exp}/views`, { name: 'mine', state: { version: 1 } }, 'dave');
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    const clash = await t.call('PATCH', `/views/${v.view_id}`, { name: 'all' }, 'carol');
    expect([clash.status, clash.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);

    const foreign = await t.call('PATCH', `/views/${v.view_id}`, { name: 'taken over' }, 'dave');
    expect([foreign.status, foreign.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await t.call('DELETE', `/views/${v.view_id}`, undefined, 'dave')).status).toBe(403);
    const anonymous = await t.call('POST', `/experiments/${exp}/views`, { name: 'x', state: { version: 1 } });
    expect([anonymous.status, anonymous.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await t.call('DELETE', `/views/${v.view_id}`)).status).toBe(401);
    // Renaming a view to its own name is not a clash.
    expect((await t.ok('PATCH', `/views/${v.view_id}`, { name: 'mine' }, 'carol')).view.name).toBe('mine');
  });

  it('is scoped to the workspace', async () => {
    const v = (await t.ok('POST', `/experiments/${exp}/views`, { name: 'scoped', state: { version: 1 } }, 'erin')).view;
    const away = trove(server, 'elsewhere');
    expect((await away.call('GET', `/views/${v.view_id}`)).status).toBe(404);
    expect((await away.call('GET', `/experiments/${exp}/views`)).status).toBe(404);
    expect((await away.call('DELETE', `/views/${v.view_id}`, undefined, 'erin')).status).toBe(404);
    expect((await t.ok('GET', `/views/${v.view_id}`)).view.name).toBe('scoped');
  });

  it('pages the listing', async () => {
    const api = mlflow(server);
    const many = await api.createExperiment('views-many');
    for (const name of ['c', 'a', 'b'])
      await t.ok('POST', `/experiments/${many}/views`, { name, state: { version: 1 } }, 'frank');
    const p1 = await t.ok('GET', `/experiments/${many}/views?max_results=2`);
    const p2 = await t.ok('GET', `/experiments/${many}/views?max_results=2&page_token=${p1.next_page_token}`);
    expect([...p1.views, ...p2.views].map((v: { name: string }) => v.name)).toEqual(['a', 'b', 'c']);
    expect(p2.next_page_token).toBeUndefined();
  });

  it('rejects bad input with MLflow error envelopes', async () => {
    const v = (await t.ok('POST', `/experiments/${exp}/views`, { name: 'target', state: { version: 1 } }, 'gina')).view;
    const post = (body: unknown) => t.call('POST', `/experiments/${exp}/views`, body, 'gina');
    const withState = (state: Record<string, unknown>) =>
      post({ name: `n${Math.random()}`, state: { version: 1, ...state } });
    const cases: [string, Promise<{ status: number; body: any }>, number, string][] = [
      ['no name', post({ state: { version: 1 } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['blank name', post({ name: '   ', state: { version: 1 } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['long name', post({ name: 'n'.repeat(300), state: { version: 1 } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['name not a string', post({ name: 7, state: { version: 1 } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['no state', post({ name: 'x' }), 400, 'INVALID_PARAMETER_VALUE'],
      ['state not an object', post({ name: 'x', state: [1] }), 400, 'INVALID_PARAMETER_VALUE'],
      ['no version', post({ name: 'x', state: { filter: '' } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['future version', post({ name: 'x', state: { version: 2 } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['unknown field', withState({ layout: {} }), 400, 'INVALID_PARAMETER_VALUE'],
      ['filter not a string', withState({ filter: 3 }), 400, 'INVALID_PARAMETER_VALUE'],
      ['columns not a list', withState({ columns: 'metrics.loss' }), 400, 'INVALID_PARAMETER_VALUE'],
      ['column not a string', withState({ columns: [1] }), 400, 'INVALID_PARAMETER_VALUE'],
      ['sort without desc', withState({ sort: [{ id: 'x' }] }), 400, 'INVALID_PARAMETER_VALUE'],
      [
        'sort with extra key',
        withState({ sort: [{ id: 'x', desc: true, nulls: 'last' }] }),
        400,
        'INVALID_PARAMETER_VALUE',
      ],
      ['bad colour', withState({ colors: { r1: 'red' } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['bad status', withState({ status: 'DONE' }), 400, 'INVALID_PARAMETER_VALUE'],
      ['chart layout not an object', withState({ charts: ['line'] }), 400, 'INVALID_PARAMETER_VALUE'],
      ['fixed columns not a list', withState({ fixed_columns: 'duration' }), 400, 'INVALID_PARAMETER_VALUE'],
      ['column width not a number', withState({ column_widths: { duration: '90' } }), 400, 'INVALID_PARAMETER_VALUE'],
      ['column width too small', withState({ column_widths: { duration: 3 } }), 400, 'INVALID_PARAMETER_VALUE'],
      [
        'too many pins',
        withState({ pinned: Array.from({ length: 2001 }, (_, i) => `r${i}`) }),
        400,
        'INVALID_PARAMETER_VALUE',
      ],
      [
        'state too large',
        withState({ charts: { charts: Array.from({ length: 100 }, () => ({ note: 'x'.repeat(1000) })) } }),
        400,
        'INVALID_PARAMETER_VALUE',
      ],
      [
        'unknown experiment',
        t.call('POST', '/experiments/987654/views', { name: 'x', state: { version: 1 } }, 'gina'),
        404,
        'RESOURCE_DOES_NOT_EXIST',
      ],
      ['bad experiment id', t.call('GET', '/experiments/abc/views'), 400, 'INVALID_PARAMETER_VALUE'],
      ['bad view id', t.call('GET', '/views/abc'), 400, 'INVALID_PARAMETER_VALUE'],
      ['unknown view', t.call('GET', '/views/999999'), 404, 'RESOURCE_DOES_NOT_EXIST'],
      ['bad page token', t.call('GET', `/experiments/${exp}/views?page_token=%%%`), 400, 'INVALID_PARAMETER_VALUE'],
      ['bad max_results', t.call('GET', `/experiments/${exp}/views?max_results=0`), 400, 'INVALID_PARAMETER_VALUE'],
      [
        'update with bad state',
        t.call('PATCH', `/views/${v.view_id}`, { state: { version: 1, pinned: 'r1' } }, 'gina'),
        400,
        'INVALID_PARAMETER_VALUE',
      ],
      [
        'update with blank name',
        t.call('PATCH', `/views/${v.view_id}`, { name: '' }, 'gina'),
        400,
        'INVALID_PARAMETER_VALUE',
      ],
      [
        'body not an object',
        server.call('POST', `/api/trove/v1/experiments/${exp}/views`, '[1]', { 'x-trove-user': 'gina' }),
        400,
        'MALFORMED_REQUEST',
      ],
    ];
    for (const [what, res, status, code] of cases) {
      const r = await res;
      expect([what, r.status, r.body.error_code], JSON.stringify(r.body)).toEqual([what, status, code]);
    }
    // None of the rejected requests changed anything.
    expect((await t.ok('GET', `/views/${v.view_id}`)).view.state).toMatchObject({ version: 1, pinned: [] });
  });

  it('keeps int64 numbers inside the chart layout exact', async () => {
    const body = `{"name":"big","state":{"version":1,"charts":{"charts":[{"type":"line","step_to":9223372036854775807}]}}}`;
    const res = await server.call('POST', `/api/trove/v1/experiments/${exp}/views`, body, {
      'x-trove-user': 'hal',
      'content-type': 'application/json',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const raw = await fetch(`${server.url}/api/trove/v1/views/${res.body.view.view_id}`).then((r) => r.text());
    expect(raw).toContain('"step_to":9223372036854775807');
  });
});
