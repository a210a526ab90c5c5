import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, toQuery } from '../support/server.ts';

// MLflow's trace API, V2 (`/api/2.0/mlflow/traces…`), as the 2.x clients and the UI use it.
let server: TestServer;
let api: ReturnType<typeof mlflow>;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
});
afterAll(() => server.close());

type Kv = { key: string; value: string };
interface TraceInfo {
  request_id: string;
  experiment_id: string;
  timestamp_ms: number;
  execution_time_ms?: number;
  status: string;
  request_metadata: Kv[];
  tags: Kv[];
}

const kv = (o: Record<string, string>): Kv[] => Object.entries(o).map(([key, value]) => ({ key, value }));
const asMap = (kvs: Kv[]) => Object.fromEntries(kvs.map((e) => [e.key, e.value]));

async function startTrace(
  exp: string,
  opts: { ts?: number; tags?: Record<string, string>; metadata?: Record<string, string> } = {},
  client = api,
): Promise<TraceInfo> {
  const body = {
    experiment_id: exp,
    timestamp_ms: opts.ts ?? Date.now(),
    tags: kv(opts.tags ?? {}),
    request_metadata: kv(opts.metadata ?? {}),
  };
  return (await client.ok('POST', '/traces', body)).trace_info;
}

async function endTrace(id: string, body: Record<string, unknown>, client = api): Promise<TraceInfo> {
  return (await client.ok('PATCH', `/traces/${id}`, body)).trace_info;
}

/** GET /traces the way the 2.17 client sends it: repeated query parameters. */
function searchRaw(q: { exp: string | string[]; filter?: string; order_by?: string[]; max?: number; token?: string }) {
  const query: Record<string, string | string[]> = { experiment_ids: q.exp };
  if (q.filter !== undefined) query.filter = q.filter;
  if (q.order_by) query.order_by = q.order_by;
  if (q.max !== undefined) query.max_results = String(q.max);
  if (q.token) query.page_token = q.token;
  return api.get('/traces', query);
}

async function searchIds(exp: string, filter?: string, order_by?: string[]): Promise<string[]> {
  const res = await searchRaw({ exp, filter, order_by, max: 500 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.traces ?? []).map((t: TraceInfo) => t.request_id);
}

describe('start, end, get info', () => {
  it('starts a trace in progress, ends it with the execution time, merges tags and metadata', async () => {
    const exp = await api.createExperiment('traces-lifecycle');
    const started = await startTrace(exp, {
      ts: 1_700_000_000_000,
      tags: { 'mlflow.traceName': 'predict', team: 'a' },
      metadata: { 'mlflow.trace_schema.version': '2' },
    });
    expect(started.request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(started).toMatchObject({ experiment_id: exp, timestamp_ms: 1_700_000_000_000, status: 'IN_PROGRESS' });
    expect(started.execution_time_ms).toBeUndefined();
    expect(asMap(started.tags)).toEqual({
      'mlflow.traceName': 'predict',
      team: 'a',
      'mlflow.artifactLocation': `mlflow-artifacts:/${exp}/traces/${started.request_id}/artifacts`,
    });

    const ended = await endTrace(started.request_id, {
      request_id: started.request_id,
      timestamp_ms: 1_700_000_000_250,
      status: 'OK',
      tags: kv({ team: 'b', extra: 'x' }),
      request_metadata: kv({ 'mlflow.traceInputs': '{"q": 1}' }),
    });
    expect(ended).toMatchObject({ status: 'OK', execution_time_ms: 250, timestamp_ms: 1_700_000_000_000 });
    expect(asMap(ended.tags)).toMatchObject({ 'mlflow.traceName': 'predict', team: 'b', extra: 'x' });
    expect(asMap(ended.request_metadata)).toEqual({
      'mlflow.trace_schema.version': '2',
      'mlflow.traceInputs': '{"q": 1}',
    });

    const info = (await api.ok('GET', `/traces/${started.request_id}/info`)).trace_info;
    expect(info).toEqual(ended);
  });

  it('refuses an unknown status, a mismatched id, unknown traces and experiments', async () => {
    const exp = await api.createExperiment('traces-lifecycle-errors');
    const t = await startTrace(exp);
    const bad = await server.call('PATCH', `${api.base}/traces/${t.request_id}`, { status: 'FINE' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(
      (await server.call('PATCH', `${api.base}/traces/${t.request_id}`, { request_id: 'other', status: 'OK' })).status,
    ).toBe(400);
    expect((await server.call('PATCH', `${api.base}/traces/${'0'.repeat(32)}`, { status: 'OK' })).status).toBe(404);
    expect((await api.get(`/traces/${'0'.repeat(32)}/info`)).status).toBe(404);
    const noExp = await api.post('/traces', { experiment_id: '987654', timestamp_ms: 1 });
    expect(noExp.status).toBe(404);
    expect(noExp.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    await api.ok('POST', '/experiments/delete', { experiment_id: exp });
    expect((await api.post('/traces', { experiment_id: exp, timestamp_ms: 1 })).status).toBe(400);
  });
});

describe('search', () => {
  let exp: string;
  let runId: string;
  /** t[i] has timestamp base + i * 1000, in this order of creation. */
  const t: TraceInfo[] = [];
  const base = 1_710_000_000_000;
  const specs: { status: string; exec: number | null; name: string; tags: Record<string, string>; user: string }[] = [
    { status: 'OK', exec: 30, name: 'predict', tags: { env: 'prod' }, user: 'alice' },
    { status: 'ERROR', exec: 10, name: 'chat', tags: { env: 'dev' }, user: 'bob' },
    { status: 'OK', exec: 20, name: 'chat', tags: { env: 'prod', ab: 'b' }, user: 'Bob' },
    { status: 'IN_PROGRESS', exec: null, name: 'predict', tags: {}, user: 'carol' },
    { status: 'OK', exec: 50, name: 'embed', tags: { env: 'staging' }, user: 'alice' },
  ];

  beforeAll(async () => {
    exp = await api.createExperiment('traces-search');
    runId = await api.createRun(exp);
    for (const [i, s] of specs.entries()) {
      const ts = base + i * 1000;
      const metadata: Record<string, string> = { user: s.user };
      if (i % 2 === 0) metadata['mlflow.sourceRun'] = runId;
      let info = await startTrace(exp, { ts, tags: { 'mlflow.traceName': s.name, ...s.tags }, metadata });
      if (s.exec !== null) info = await endTrace(info.request_id, { timestamp_ms: ts + s.exec, status: s.status });
      t.push(info);
    }
    // Another experiment's trace never shows up in this one's results.
    await startTrace(await api.createExperiment('traces-search-other'), { ts: base, tags: { env: 'prod' } });
  });

  const ids = (...i: number[]) => i.map((n) => t[n].request_id);

  it('returns the newest first by default, with the trace info of each', async () => {
    const res = await searchRaw({ exp });
    expect(res.status).toBe(200);
    expect(res.body.traces.map((x: TraceInfo) => x.request_id)).toEqual(ids(4, 3, 2, 1, 0));
    expect(res.body.traces[4]).toEqual(t[0]);
    expect(res.body.next_page_token).toBeUndefined();
  });

  it.each([
    ["status = 'OK'", [4, 2, 0]],
    ["attributes.status = 'ERROR'", [1]],
    ["trace.status != 'OK'", [3, 1]],
    ["status IN ('ERROR', 'IN_PROGRESS')", [3, 1]],
    ["status NOT IN ('OK')", [3, 1]],
    ["tags.env = 'prod'", [2, 0]],
    ["tag.env != 'prod'", [4, 1]],
    ["tags.env LIKE 'pr%'", [2, 0]],
    ["tags.env IN ('dev', 'staging')", [4, 1]],
    ["tags.ab = 'b'", [2]],
    ["metadata.user = 'bob'", [1]],
    ["request_metadata.user ILIKE 'BO%'", [2, 1]],
    ["metadata.user LIKE '%o%'", [3, 2, 1]],
    [`timestamp_ms > ${base + 1000} AND timestamp_ms <= ${base + 3000}`, [3, 2]],
    [`timestamp >= ${base + 3000}`, [4, 3]],
    [`attributes.timestamp_ms < ${base + 1000}`, [0]],
    [`timestamp_ms = ${base + 2000}`, [2]],
    ['execution_time_ms >= 20', [4, 2, 0]],
    ["name = 'chat'", [2, 1]],
    ["name != 'chat'", [4, 3, 0]],
    ["name LIKE 'p%'", [3, 0]],
    ["name IN ('embed', 'chat')", [4, 2, 1]],
    ['run_id = RUN', [4, 2, 0]],
    ["(status = 'OK' AND tags.env = 'prod') OR name = 'embed'", [4, 2, 0]],
    ["status = 'OK' AND (tags.env = 'staging' OR metadata.user = 'Bob')", [4, 2]],
    ["(name = 'chat' OR name = 'embed') AND (status = 'ERROR' OR tags.ab = 'b')", [2, 1]],
    ["status = 'OK' AND tags.env = 'prod' AND metadata.user = 'alice'", [0]],
    ["tags.missing = 'x'", []],
  ] as const)('filters %s', async (filter, expected) => {
    expect(await searchIds(exp, filter.replace('RUN', `'${runId}'`))).toEqual(ids(...expected));
  });

  it('filters by request_id with IN lists and equality', async () => {
    expect(await searchIds(exp, `request_id IN ('${t[1].request_id}', '${t[3].request_id}')`)).toEqual(ids(3, 1));
    expect(await searchIds(exp, `request_id NOT IN ('${t[1].request_id}', '${t[3].request_id}')`)).toEqual(
      ids(4, 2, 0),
    );
    expect(await searchIds(exp, `attributes.request_id = '${t[2].request_id}'`)).toEqual(ids(2));
  });

  it('orders by each key, both ways', async () => {
    const byTs = [0, 1, 2, 3, 4];
    expect(await searchIds(exp, '', ['timestamp_ms ASC'])).toEqual(ids(...byTs));
    expect(await searchIds(exp, '', ['timestamp_ms DESC'])).toEqual(ids(...byTs.reverse()));
    expect(await searchIds(exp, '', ['attributes.timestamp_ms'])).toEqual(ids(0, 1, 2, 3, 4));
    // execution_time: the unfinished trace (no time) sorts after the others either way, as NULLs do in MLflow.
    const exec = await searchIds(exp, "status != 'IN_PROGRESS'", ['execution_time_ms ASC']);
    expect(exec).toEqual(ids(1, 2, 0, 4));
    expect(await searchIds(exp, "status != 'IN_PROGRESS'", ['execution_time DESC'])).toEqual(ids(4, 0, 2, 1));
    expect(await searchIds(exp, '', ['status ASC', 'timestamp_ms ASC'])).toEqual(ids(1, 3, 0, 2, 4));
    expect(await searchIds(exp, '', ['status DESC', 'timestamp_ms DESC'])).toEqual(ids(4, 2, 0, 3, 1));
    const sortedIds = [...t.map((x) => x.request_id)].sort();
    expect(await searchIds(exp, '', ['request_id ASC'])).toEqual(sortedIds);
    expect(await searchIds(exp, '', ['request_id DESC'])).toEqual([...sortedIds].reverse());
    expect(await searchIds(exp, '', ['name ASC', 'timestamp_ms ASC'])).toEqual(ids(1, 2, 4, 0, 3));
    expect(await searchIds(exp, '', ['name DESC', 'timestamp_ms DESC'])).toEqual(ids(3, 0, 4, 2, 1));
    expect(await searchIds(exp, `run_id = '${runId}'`, ['run_id ASC', 'timestamp_ms DESC'])).toEqual(ids(4, 2, 0));
    expect(await searchIds(exp, '', ['experiment_id ASC', 'timestamp_ms ASC'])).toEqual(ids(0, 1, 2, 3, 4));
  });

  it('orders by tags and metadata, traces without the key last; ties newest first, as MLflow', async () => {
    expect(await searchIds(exp, '', ['status ASC'])).toEqual(ids(1, 3, 4, 2, 0));
    expect(await searchIds(exp, '', ['status DESC'])).toEqual(ids(4, 2, 0, 3, 1));
    expect(await searchIds(exp, '', ['tags.env ASC'])).toEqual(ids(1, 2, 0, 4, 3));
    expect(await searchIds(exp, '', ['tag.env DESC'])).toEqual(ids(4, 2, 0, 1, 3));
    expect(await searchIds(exp, '', ['tags.`mlflow.traceName` DESC', 'timestamp_ms ASC'])).toEqual(ids(0, 3, 4, 1, 2));
    expect(await searchIds(exp, '', ['metadata.`mlflow.sourceRun`'])).toEqual(ids(4, 2, 0, 3, 1));
    expect(await searchIds(exp, '', ['request_metadata.mlflow.sourceRun DESC'])).toEqual(ids(4, 2, 0, 3, 1));
    for (const order_by of [
      ['status', 'status DESC'],
      ['tags.env', 'tag.env'],
    ]) {
      const res = await searchRaw({ exp, order_by });
      expect(res.status, order_by.join()).toBe(400);
    }
  });

  it('pages with tokens through every order, each trace once', async () => {
    for (const order_by of [
      [],
      ['timestamp_ms ASC'],
      ['status ASC', 'name DESC'],
      ['execution_time_ms DESC'],
      ['tags.env ASC'],
      ['metadata.user DESC', 'timestamp_ms ASC'],
    ]) {
      const all = await searchIds(exp, '', order_by);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const res = await searchRaw({ exp, order_by, max: 2, token });
        expect(res.status).toBe(200);
        expect(res.body.traces.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.traces.map((x: TraceInfo) => x.request_id));
        token = res.body.next_page_token;
      } while (token);
      expect(seen, order_by.join()).toEqual(all);
    }
  });

  it('refuses a page token replayed with another filter or order, and bad queries', async () => {
    const first = await searchRaw({ exp, filter: "status = 'OK'", max: 1 });
    const token = first.body.next_page_token;
    expect(token).toBeTruthy();
    expect((await searchRaw({ exp, filter: "status = 'OK'", max: 1, token })).status).toBe(200);
    for (const replay of [
      { exp, filter: "status = 'ERROR'", max: 1, token },
      { exp, filter: "status = 'OK'", order_by: ['timestamp_ms ASC'], max: 1, token },
      { exp, filter: "status = 'OK'", max: 1, token: 'not-a-token' },
    ]) {
      const res = await searchRaw(replay);
      expect(res.status, JSON.stringify(replay)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    for (const filter of [
      'status =',
      "status = 'OK' AND",
      "foo.bar = 'x'",
      "attributes.nope = 'x'",
      "timestamp_ms = 'x'",
      'tags.env = 5',
      "timestamp_ms LIKE '1%'",
      "(status = 'OK'",
      "status IN 'OK'",
    ]) {
      const res = await searchRaw({ exp, filter });
      expect(res.status, filter).toBe(400);
      expect(res.body.error_code, filter).toBe('INVALID_PARAMETER_VALUE');
    }
    for (const order_by of [['nope'], ['timestamp_ms SIDEWAYS'], ['params.x'], ['mlflow.traceName']]) {
      expect((await searchRaw({ exp, order_by })).status, order_by[0]).toBe(400);
    }
    expect((await searchRaw({ exp, max: 501 })).status).toBe(400);
    expect((await searchRaw({ exp, max: 0 })).status).toBe(400);
    expect((await api.get('/traces')).status).toBe(400);
    expect((await searchRaw({ exp: '987654' })).status).toBe(404);
  });
});

describe("search: MLflow 2.17.2's own cases (tests/store/tracking/test_sqlalchemy_store.py, store_with_traces)", () => {
  const label = new Map<string, string>();
  let exps: string[];

  beforeAll(async () => {
    exps = [await api.createExperiment('mlflow-exp1'), await api.createExperiment('mlflow-exp2')];
    const fixture: [string, number, number, number, string, Record<string, string>, string?][] = [
      ['tr-0', 1, 0, 6, 'OK', { 'mlflow.traceName': 'ddd' }, 'run0'],
      ['tr-1', 1, 1, 2, 'ERROR', { 'mlflow.traceName': 'aaa', fruit: 'apple', color: 'red' }, 'run1'],
      ['tr-2', 0, 2, 4, 'TRACE_STATUS_UNSPECIFIED', { 'mlflow.traceName': 'bbb', fruit: 'apple', color: 'green' }],
      ['tr-3', 0, 3, 10, 'OK', { 'mlflow.traceName': 'ccc', fruit: 'orange' }],
      ['tr-4', 0, 4, 10, 'OK', { 'mlflow.traceName': 'ddd', color: 'blue' }],
    ];
    for (const [name, exp, ts, exec, status, tags, run] of fixture) {
      const metadata = run ? { 'mlflow.sourceRun': run } : undefined;
      const t = await startTrace(exps[exp], { ts, tags, metadata });
      await endTrace(t.request_id, { timestamp_ms: ts + exec, status });
      label.set(t.request_id, name);
    }
  });

  async function names(q: { filter?: string; order_by?: string[]; max?: number; token?: string }) {
    const res = await searchRaw({ exp: exps, ...q, max: q.max ?? 5 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { names: res.body.traces.map((t: TraceInfo) => label.get(t.request_id)), token: res.body.next_page_token };
  }

  it.each([
    [[], 'tr-4 tr-3 tr-2 tr-1 tr-0'],
    [['timestamp'], 'tr-0 tr-1 tr-2 tr-3 tr-4'],
    [['timestamp DESC'], 'tr-4 tr-3 tr-2 tr-1 tr-0'],
    [['execution_time DESC', 'timestamp ASC'], 'tr-3 tr-4 tr-0 tr-2 tr-1'],
    [['experiment_id'], 'tr-4 tr-3 tr-2 tr-1 tr-0'],
    [['status'], 'tr-1 tr-4 tr-3 tr-0 tr-2'],
    [['name'], 'tr-1 tr-2 tr-3 tr-4 tr-0'],
    [['tag.fruit'], 'tr-2 tr-1 tr-3 tr-4 tr-0'],
    [['tag.fruit', 'tag.color'], 'tr-2 tr-1 tr-3 tr-4 tr-0'],
    [['tag.nonexistent'], 'tr-4 tr-3 tr-2 tr-1 tr-0'],
    [['run_id'], 'tr-0 tr-1 tr-4 tr-3 tr-2'],
  ])('orders by %j', async (order_by, expected) => {
    expect((await names({ order_by })).names.join(' ')).toBe(expected);
  });

  it.each([
    ["name = 'aaa'", 'tr-1'],
    ["name != 'aaa'", 'tr-4 tr-3 tr-2 tr-0'],
    ["status = 'OK'", 'tr-4 tr-3 tr-0'],
    ["status != 'OK'", 'tr-2 tr-1'],
    ["attributes.status = 'OK'", 'tr-4 tr-3 tr-0'],
    ["attributes.name != 'aaa'", 'tr-4 tr-3 tr-2 tr-0'],
    ["trace.status = 'OK'", 'tr-4 tr-3 tr-0'],
    ["trace.name != 'aaa'", 'tr-4 tr-3 tr-2 tr-0'],
    ['`timestamp` >= 1 AND execution_time < 10', 'tr-2 tr-1'],
    ["tag.fruit = 'apple'", 'tr-2 tr-1'],
    ["tags.fruit = 'apple' and tags.color != 'red'", 'tr-2'],
    ["run_id = 'run0'", 'tr-0'],
    ["request_metadata.mlflow.sourceRun = 'run0'", 'tr-0'],
    ["request_metadata.mlflow.sourceRun = 'run1'", 'tr-1'],
    ["request_metadata.`mlflow.sourceRun` = 'run0'", 'tr-0'],
    ["metadata.mlflow.sourceRun = 'run0'", 'tr-0'],
    ["metadata.mlflow.sourceRun != 'run0'", 'tr-1'],
  ])('filters %s', async (filter, expected) => {
    expect((await names({ filter })).names.join(' ')).toBe(expected);
  });

  it.each([
    'invalid',
    "name = 'foo' AND invalid",
    "foo.bar = 'baz'",
    "invalid = 'foo'",
    "trace.tags.foo = 'bar'",
    "trace.status < 'OK'",
  ])('refuses %s', async (filter) => {
    const res = await searchRaw({ exp: exps, filter });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('pages as test_search_traces_pagination', async () => {
    const first = await names({ max: 2 });
    expect(first.names).toEqual(['tr-4', 'tr-3']);
    const second = await names({ max: 2, token: first.token });
    expect(second.names).toEqual(['tr-2', 'tr-1']);
    const last = await names({ max: 2, token: second.token });
    expect(last).toEqual({ names: ['tr-0'], token: undefined });
  });
});

describe('delete', () => {
  async function fill(name: string, n: number) {
    const exp = await api.createExperiment(name);
    const made: TraceInfo[] = [];
    // Created newest first, so that "oldest first" cannot be mistaken for insertion order.
    for (let i = n - 1; i >= 0; i--) made.unshift(await startTrace(exp, { ts: 1_720_000_000_000 + i * 1000 }));
    return { exp, made };
  }
  const del = (body: Record<string, unknown>) => api.post('/traces/delete-traces', body);

  it('deletes by age: everything at or before max_timestamp_millis', async () => {
    const { exp, made } = await fill('traces-delete-age', 4);
    const res = await del({ experiment_id: exp, max_timestamp_millis: made[1].timestamp_ms });
    expect(res.body).toEqual({ traces_deleted: 2 });
    expect(await searchIds(exp)).toEqual([made[3].request_id, made[2].request_id]);
    expect((await api.get(`/traces/${made[0].request_id}/info`)).status).toBe(404);
  });

  it('deletes at most max_traces, the oldest first', async () => {
    const { exp, made } = await fill('traces-delete-count', 5);
    const res = await del({ experiment_id: exp, max_timestamp_millis: made[3].timestamp_ms, max_traces: 2 });
    expect(res.body).toEqual({ traces_deleted: 2 });
    expect(await searchIds(exp)).toEqual([4, 3, 2].map((i) => made[i].request_id));
    expect((await del({ experiment_id: exp, max_timestamp_millis: Date.now(), max_traces: 10 })).body).toEqual({
      traces_deleted: 3,
    });
    expect(await searchIds(exp)).toEqual([]);
  });

  it('deletes by request_ids, only in the named experiment', async () => {
    const { exp, made } = await fill('traces-delete-ids', 3);
    const other = await fill('traces-delete-ids-other', 1);
    const res = await del({
      experiment_id: exp,
      request_ids: [made[0].request_id, made[2].request_id, other.made[0].request_id, 'f'.repeat(32)],
    });
    expect(res.body).toEqual({ traces_deleted: 2 });
    expect(await searchIds(exp)).toEqual([made[1].request_id]);
    expect(await searchIds(other.exp)).toEqual([other.made[0].request_id]);
  });

  it('refuses the invalid combinations', async () => {
    const { exp, made } = await fill('traces-delete-invalid', 2);
    const id = made[0].request_id;
    for (const body of [
      { experiment_id: exp },
      { experiment_id: exp, max_traces: 1 },
      { experiment_id: exp, max_timestamp_millis: Date.now(), request_ids: [id] },
      { experiment_id: exp, request_ids: [id], max_traces: 1 },
      { experiment_id: exp, max_timestamp_millis: Date.now(), max_traces: 0 },
      { experiment_id: exp, max_timestamp_millis: Date.now(), max_traces: -3 },
      { max_timestamp_millis: Date.now() },
      { request_ids: [id] },
    ]) {
      const res = await del(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(await searchIds(exp)).toHaveLength(2);
    expect((await del({ experiment_id: '987654', request_ids: [id] })).status).toBe(404);
  });
});

describe('tags', () => {
  it('sets, overwrites and deletes a tag; the name tag drives name search', async () => {
    const exp = await api.createExperiment('traces-tags');
    const { request_id: id } = await startTrace(exp);
    await api.ok('PATCH', `/traces/${id}/tags`, { key: 'reviewed', value: 'no' });
    await api.ok('PATCH', `/traces/${id}/tags`, { key: 'reviewed', value: 'yes' });
    await api.ok('PATCH', `/traces/${id}/tags`, { key: 'mlflow.traceName', value: 'renamed' });
    await api.ok('PATCH', `/traces/${id}/tags`, { key: 'empty' });
    let tags = asMap((await api.ok('GET', `/traces/${id}/info`)).trace_info.tags);
    expect(tags).toMatchObject({ reviewed: 'yes', 'mlflow.traceName': 'renamed', empty: '' });
    expect(await searchIds(exp, "name = 'renamed'")).toEqual([id]);
    expect(await searchIds(exp, "tags.reviewed = 'yes'")).toEqual([id]);

    await server.call('DELETE', `${api.base}/traces/${id}/tags`, { key: 'reviewed' });
    await server.call('DELETE', `${api.base}/traces/${id}/tags`, { key: 'mlflow.traceName' });
    tags = asMap((await api.ok('GET', `/traces/${id}/info`)).trace_info.tags);
    expect(tags.reviewed).toBeUndefined();
    expect(tags['mlflow.traceName']).toBeUndefined();
    expect(await searchIds(exp, "name = 'renamed'")).toEqual([]);
    expect(await searchIds(exp, "tags.reviewed = 'yes'")).toEqual([]);
  });

  it('refuses invalid keys (400), a missing tag or trace (404)', async () => {
    const exp = await api.createExperiment('traces-tags-errors');
    const { request_id: id } = await startTrace(exp);
    for (const key of ['', '../etc', '/abs', 'a'.repeat(251), 'a//b']) {
      const res = await server.call('PATCH', `${api.base}/traces/${id}/tags`, { key, value: 'v' });
      expect(res.status, key).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await server.call('PATCH', `${api.base}/traces/${id}/tags`, { value: 'v' })).status).toBe(400);
    // The server's own tag: deleting the trace removes the directory it names.
    const location = 'mlflow-artifacts:/0/artifacts';
    const owned = { key: 'mlflow.artifactLocation', value: location };
    expect((await server.call('PATCH', `${api.base}/traces/${id}/tags`, owned)).status).toBe(400);
    expect((await server.call('DELETE', `${api.base}/traces/${id}/tags`, { key: owned.key })).status).toBe(400);
    const ended = await endTrace(id, { status: 'OK', tags: [owned] });
    expect(asMap(ended.tags)[owned.key]).toBe(`mlflow-artifacts:/${exp}/traces/${id}/artifacts`);
    expect((await server.call('DELETE', `${api.base}/traces/${id}/tags`, {})).status).toBe(400);
    const missing = await server.call('DELETE', `${api.base}/traces/${id}/tags`, { key: 'never-set' });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const unknown = `${api.base}/traces/${'0'.repeat(32)}/tags`;
    expect((await server.call('PATCH', unknown, { key: 'k', value: 'v' })).status).toBe(404);
    expect((await server.call('DELETE', unknown, { key: 'k' })).status).toBe(404);
  });
});

describe('link to run', () => {
  it('records the run on each trace, so searching the run finds them', async () => {
    const exp = await api.createExperiment('traces-link');
    const runId = await api.createRun(exp);
    const a = await startTrace(exp);
    const b = await startTrace(exp);
    await startTrace(exp);
    await api.ok('POST', '/traces/link-to-run', { trace_ids: [a.request_id, b.request_id], run_id: runId });
    const info = (await api.ok('GET', `/traces/${a.request_id}/info`)).trace_info;
    expect(asMap(info.request_metadata)['mlflow.sourceRun']).toBe(runId);
    expect((await searchIds(exp, `run_id = '${runId}'`)).sort()).toEqual([a.request_id, b.request_id].sort());
    expect((await searchIds(exp, `metadata.mlflow.sourceRun = '${runId}'`)).length).toBe(2);

    const link = (body: unknown) => api.post('/traces/link-to-run', body);
    expect((await link({ trace_ids: ['0'.repeat(32)], run_id: runId })).status).toBe(404);
    expect((await link({ trace_ids: [a.request_id], run_id: 'f'.repeat(32) })).status).toBe(404);
    expect((await link({ trace_ids: [], run_id: runId })).status).toBe(400);
    expect((await link({ trace_ids: [a.request_id] })).status).toBe(400);
  });
});

describe('span data through the artifact proxy', () => {
  const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
  // As the 2.17 client writes it (json.dumps, ensure_ascii=False); nanosecond timestamps beyond 2^53,
  // which a double would round.
  const traceDoc = (traceId: string) =>
    `{"spans":[{"name":"root","context":{"span_id":"0x00000000000000a1","trace_id":"0x${traceId}"},"parent_id":null,"start_time":1733500000123456789,"end_time":1733500000987654321,"status_code":"OK","status_message":"","attributes":{"mlflow.traceRequestId":"\\"${traceId}\\"","mlflow.spanType":"\\"CHAIN\\"","mlflow.spanInputs":"{\\"q\\": \\"héllo 🙂\\"}"},"events":[]},{"name":"child","context":{"span_id":"0x00000000000000b2","trace_id":"0x${traceId}"},"parent_id":"0x00000000000000a1","start_time":1733500000200000001,"end_time":1733500000300000003,"status_code":"ERROR","status_message":"boom","attributes":{"mlflow.spanType":"\\"LLM\\""},"events":[{"name":"exception","timestamp":1733500000299999999,"attributes":{"exception.message":"boom"}}]}],"request":"{\\"q\\": \\"héllo 🙂\\"}","response":"\\"hi\\""}`;

  async function put(path: string, body: string) {
    return fetch(`${server.url}${path}`, { method: 'PUT', body, headers: { 'content-type': 'application/json' } });
  }
  const getArtifact = (id: string) => fetch(`${server.url}/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${id}`);

  it('stores the spans of an uploaded traces.json and serves them back exactly', async () => {
    const exp = await api.createExperiment('traces-spans');
    const t = await startTrace(exp);
    const before = await getArtifact(t.request_id);
    expect(before.status).toBe(404);

    const doc = traceDoc(t.request_id);
    const up = await put(`${PROXY}/${exp}/traces/${t.request_id}/artifacts/traces.json`, doc);
    expect(up.status).toBe(200);

    const res = await getArtifact(t.request_id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('traces.json');
    const text = await res.text();
    expect(text).toBe(doc);
    expect(text).toContain('"start_time":1733500000123456789');
    expect(text).toContain('"timestamp":1733500000299999999');

    // The 2.17 client reads the file back through the proxy, as written.
    const direct = await fetch(`${server.url}${PROXY}/${exp}/traces/${t.request_id}/artifacts/traces.json`);
    expect(await direct.text()).toBe(doc);

    const rows = await server.store.db
      .selectFrom('trace_spans')
      .innerJoin('traces', 'traces.id', 'trace_spans.trace_pk')
      .select([
        'trace_spans.span_id',
        'trace_spans.parent_span_id',
        'trace_spans.name',
        'trace_spans.span_type',
        'trace_spans.status',
        // As text: better-sqlite3 reads an integer beyond 2^53 back as a rounded double.
        sql<string>`CAST(trace_spans.start_time_ns AS TEXT)`.as('start_time_ns'),
      ])
      .where('traces.trace_id', '=', t.request_id)
      .orderBy('trace_spans.span_id')
      .execute();
    expect(rows).toEqual([
      {
        span_id: '00000000000000a1',
        parent_span_id: null,
        name: 'root',
        span_type: 'CHAIN',
        status: 'OK',
        start_time_ns: '1733500000123456789',
      },
      {
        span_id: '00000000000000b2',
        parent_span_id: '00000000000000a1',
        name: 'child',
        span_type: 'LLM',
        status: 'ERROR',
        start_time_ns: '1733500000200000001',
      },
    ]);
  });

  it('removes the uploaded traces.json with its trace, and nothing else', async () => {
    const exp = await api.createExperiment('traces-spans-delete');
    const [gone, kept] = [await startTrace(exp), await startTrace(exp)];
    for (const t of [gone, kept])
      expect(
        (await put(`${PROXY}/${exp}/traces/${t.request_id}/artifacts/traces.json`, traceDoc(t.request_id))).status,
      ).toBe(200);
    expect((await put(`${PROXY}/${exp}/notes.txt`, 'keep me')).status).toBe(200);
    const deleted = await api.ok('POST', '/traces/delete-traces', {
      experiment_id: exp,
      request_ids: [gone.request_id],
    });
    expect(deleted).toEqual({ traces_deleted: 1 });
    const file = (id: string) => fetch(`${server.url}${PROXY}/${exp}/traces/${id}/artifacts/traces.json`);
    expect((await file(gone.request_id)).status).toBe(404);
    expect(await (await file(kept.request_id)).text()).toBe(traceDoc(kept.request_id));
    expect(await (await fetch(`${server.url}${PROXY}/${exp}/notes.txt`)).text()).toBe('keep me');
  });

  it('keeps a document that is not trace data as an ordinary artifact', async () => {
    const exp = await api.createExperiment('traces-spans-garbage');
    const t = await startTrace(exp);
    for (const body of ['not json', '{"spans": 5}', '[1,2]', '{"spans":[{"context":{}}]}']) {
      const up = await put(`${PROXY}/${exp}/traces/${t.request_id}/artifacts/traces.json`, body);
      expect(up.status, body).toBe(200);
      const res = await getArtifact(t.request_id);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
    expect((await getArtifact('f'.repeat(32))).status).toBe(404);
    expect((await fetch(`${server.url}/ajax-api/2.0/mlflow/get-trace-artifact`)).status).toBe(400);
  });
});

describe('spans that arrived over OTLP, read the way the 2.x client reads them', () => {
  const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
  const otelTraceId = '5b8efff798038103d269b633813fc60c';
  const span = (id: string, extra: Record<string, unknown>) => ({
    traceId: otelTraceId,
    spanId: id,
    kind: 1,
    ...extra,
  });
  const otlp = {
    resourceSpans: [
      {
        resource: { attributes: [] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              span('eee19b7ec3c1b174', {
                name: 'root-op',
                startTimeUnixNano: '1733500000123456789',
                endTimeUnixNano: '1733500000987654321',
                attributes: [
                  { key: 'gen_ai.prompt', value: { stringValue: 'hi' } },
                  { key: 'n', value: { intValue: '3' } },
                  { key: 'mlflow.spanInputs', value: { stringValue: '{"q": "hi"}' } },
                ],
                status: { code: 1 },
                events: [{ name: 'ev', timeUnixNano: '1733500000200000001', attributes: [] }],
              }),
              span('eee19b7ec3c1b175', {
                parentSpanId: 'eee19b7ec3c1b174',
                name: 'child-op',
                startTimeUnixNano: '1733500000200000000',
                endTimeUnixNano: '1733500000300000000',
                status: { code: 2, message: 'bad' },
              }),
            ],
          },
        ],
      },
    ],
  };

  it('serves an MLflow 2 traces.json built from the stored spans where no file was uploaded', async () => {
    const exp = await api.createExperiment('traces-otlp-v2');
    const sent = await server.call('POST', '/v1/traces', otlp, { 'x-mlflow-experiment-id': exp });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const id = `tr-${otelTraceId}`;
    const info = (await api.ok('GET', `/traces/${id}/info`)).trace_info;
    const location = asMap(info.tags)['mlflow.artifactLocation'];
    expect(location).toBe(`mlflow-artifacts:/${exp}/traces/${id}/artifacts`);

    const res = await fetch(`${server.url}${PROXY}/${exp}/traces/${id}/artifacts/traces.json`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"start_time":1733500000123456789,"end_time":1733500000987654321');
    expect(text).toContain('"timestamp":1733500000200000001');
    const doc = JSON.parse(text);
    expect(JSON.parse(doc.request)).toEqual({ q: 'hi' });
    expect(doc.response).toBeNull();
    const [root, child] = doc.spans;
    expect(root).toMatchObject({
      name: 'root-op',
      context: { span_id: '0xeee19b7ec3c1b174', trace_id: `0x${otelTraceId}` },
      parent_id: null,
      status_code: 'OK',
      status_message: '',
      // MLflow 2 keeps every attribute value JSON-encoded.
      attributes: {
        'gen_ai.prompt': '"hi"',
        n: '3',
        'mlflow.spanInputs': '{"q":"hi"}',
        'mlflow.traceRequestId': JSON.stringify(id),
      },
    });
    expect(root.events).toHaveLength(1);
    expect(child).toMatchObject({
      name: 'child-op',
      parent_id: '0xeee19b7ec3c1b174',
      status_code: 'ERROR',
      status_message: 'bad',
      events: [],
    });

    const partial = await fetch(`${server.url}${PROXY}/${exp}/traces/${id}/artifacts/traces.json`, {
      headers: { range: 'bytes=0-9' },
    });
    expect(partial.status).toBe(206);
    expect(await partial.text()).toBe(text.slice(0, 10));
    await server.call('POST', '/api/trove/v1/workspaces', { name: 'otlp-other' });
    const foreign = await fetch(`${server.url}/w/otlp-other${PROXY}/${exp}/traces/${id}/artifacts/traces.json`);
    expect(foreign.status).toBe(404);
  });

  it('still answers 404 for a trace with no spans anywhere', async () => {
    const exp = await api.createExperiment('traces-otlp-v2-none');
    const t = await startTrace(exp);
    const res = await fetch(`${server.url}${PROXY}/${exp}/traces/${t.request_id}/artifacts/traces.json`);
    expect(res.status).toBe(404);
  });
});

describe('workspaces', () => {
  it("answers 404 for another workspace's traces, on every route", async () => {
    await server.call('POST', '/api/trove/v1/workspaces', { name: 'trace-b' });
    const b = mlflow(server, 'trace-b');
    const exp = await api.createExperiment('traces-ws-a');
    const runB = await b.createRun(await b.createExperiment('traces-ws-b'));
    const t = await startTrace(exp, { tags: { k: 'v' } });
    const id = t.request_id;
    const wb = `/w/trace-b/api/2.0/mlflow`;
    const attempts = [
      server.call('GET', `${wb}/traces/${id}/info`),
      server.call('PATCH', `${wb}/traces/${id}`, { status: 'OK', timestamp_ms: Date.now() }),
      server.call('PATCH', `${wb}/traces/${id}/tags`, { key: 'k', value: 'x' }),
      server.call('DELETE', `${wb}/traces/${id}/tags`, { key: 'k' }),
      server.call('POST', `${wb}/traces/link-to-run`, { trace_ids: [id], run_id: runB }),
      server.call('GET', `${wb}/traces${toQuery({ experiment_ids: exp })}`),
      server.call('POST', `${wb}/traces/delete-traces`, { experiment_id: exp, request_ids: [id] }),
      server.call('POST', `${wb}/traces`, { experiment_id: exp, timestamp_ms: 1 }),
      server.call('GET', `/w/trace-b/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${id}`),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status, JSON.stringify(res.body)).toBe(404);
    const info = (await api.ok('GET', `/traces/${id}/info`)).trace_info;
    expect(info).toEqual(t);
    expect((await b.get(`/traces/${id}/info`)).status).toBe(404);
  });
});

describe('garbage bodies', () => {
  it('answers 4xx, never 5xx', async () => {
    const exp = await api.createExperiment('traces-garbage');
    const { request_id: id } = await startTrace(exp);
    const cases: [string, string, unknown][] = [
      ['POST', '/traces', 'not json'],
      ['POST', '/traces', { experiment_id: exp, timestamp_ms: 'soon' }],
      ['POST', '/traces', { experiment_id: exp, tags: 'x' }],
      ['POST', '/traces', { experiment_id: exp, tags: [{ value: 'no key' }] }],
      ['POST', '/traces', { experiment_id: exp, tags: [{ key: '../x', value: 'v' }] }],
      ['POST', '/traces', { experiment_id: exp, request_metadata: [1, 2] }],
      ['POST', '/traces', { experiment_id: exp, timestamp_ms: '9'.repeat(40) }],
      ['POST', '/traces', { experiment_id: [exp] }],
      ['POST', '/traces', {}],
      ['PATCH', `/traces/${id}`, { status: 5 }],
      ['PATCH', `/traces/${id}`, { timestamp_ms: { a: 1 } }],
      ['PATCH', `/traces/${id}`, { tags: [{ key: 'k', value: { nested: true } }] }],
      ['PATCH', `/traces/${id}`, '{"status": '],
      ['PATCH', `/traces/${id}/tags`, { key: ['k'], value: 'v' }],
      ['PATCH', `/traces/${id}/tags`, { key: 'k', value: 12 }],
      ['PATCH', `/traces/${id}/tags`, '[]'],
      ['DELETE', `/traces/${id}/tags`, { key: 7 }],
      ['POST', '/traces/delete-traces', { experiment_id: exp, max_timestamp_millis: 'yesterday' }],
      ['POST', '/traces/delete-traces', { experiment_id: exp, request_ids: 'abc' }],
      ['POST', '/traces/delete-traces', { experiment_id: exp, max_timestamp_millis: 1, max_traces: 1.5 }],
      ['POST', '/traces/link-to-run', { trace_ids: 'abc', run_id: 'r' }],
      ['POST', '/traces/link-to-run', { trace_ids: Array(101).fill(id), run_id: 'r' }],
      ['GET', `/traces?experiment_ids=${exp}&max_results=abc`, undefined],
      ['GET', `/traces?experiment_ids=${exp}&filter=${encodeURIComponent("status = 'OK' OR")}`, undefined],
      ['GET', `/traces?experiment_ids=${exp}&page_token=${'A'.repeat(5000)}`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await server.call(method, api.base + path, body);
      expect(
        res.status,
        `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
      ).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      expect(typeof res.body.error_code).toBe('string');
    }
    expect((await api.ok('GET', `/traces/${id}/info`)).trace_info.status).toBe('IN_PROGRESS');
  });
});
