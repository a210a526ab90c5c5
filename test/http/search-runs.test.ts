import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let exp: string;
const ids: Record<string, string> = {};

interface Seed {
  name: string;
  start: number;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, number | string>;
  status?: string;
  dataset?: { name: string; digest: string; context: string };
}

const SEEDS: Seed[] = [
  {
    name: 'alpha',
    start: 1000,
    params: { lr: '0.01', opt: 'Adam' },
    tags: { team: 'Vision', 'mlflow.user': 'ann' },
    metrics: { acc: 0.91, 'f1 score': 0.5 },
    status: 'FINISHED',
    dataset: { name: 'iris', digest: 'd1', context: 'training' },
  },
  {
    name: 'beta',
    start: 2000,
    params: { lr: '0.1', opt: 'adam' },
    tags: { team: 'vision' },
    metrics: { acc: 0.75 },
    status: 'FAILED',
  },
  { name: 'gamma', start: 3000, params: { lr: '0.01', opt: 'SGD_1' }, tags: { team: 'nlp' }, metrics: { acc: 'NaN' } },
  {
    name: 'delta',
    start: 4000,
    params: { lr: '0.001' },
    metrics: { acc: 0.5, loss: 2 },
    dataset: { name: 'mnist', digest: 'd2', context: 'eval' },
  },
  { name: 'Epsilon', start: 5000, tags: { team: 'vision%' } },
];

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  exp = await api.createExperiment('search');
  for (const s of SEEDS) {
    const id = await api.createRun(exp, { run_name: s.name, start_time: s.start });
    ids[s.name] = id;
    await api.ok('POST', '/runs/log-batch', {
      run_id: id,
      params: Object.entries(s.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(s.tags ?? {}).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(s.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
    });
    if (s.status) await api.ok('POST', '/runs/update', { run_id: id, status: s.status });
    if (s.dataset) {
      const { context, ...ds } = s.dataset;
      await api.ok('POST', '/runs/log-inputs', {
        run_id: id,
        datasets: [
          {
            tags: [{ key: 'mlflow.data.context', value: context }],
            dataset: { ...ds, source_type: 'local', source: '{}' },
          },
        ],
      });
    }
  }
});
afterAll(() => server.close());

async function search(body: Record<string, unknown>): Promise<string[]> {
  const res = await api.ok('POST', '/runs/search', { experiment_ids: [exp], ...body });
  return (res.runs ?? []).map((r: { info: { run_name: string } }) => r.info.run_name);
}

const sorted = (names: string[]) => [...names].sort();

describe('runs/search filter table', () => {
  const table: [string, string[]][] = [
    ['', ['alpha', 'beta', 'gamma', 'delta', 'Epsilon']],
    ["params.lr = '0.01'", ['alpha', 'gamma']],
    ['params.lr = "0.01"', ['alpha', 'gamma']],
    ["param.`lr` = '0.01'", ['alpha', 'gamma']],
    ['parameters."lr" != \'0.01\'', ['beta', 'delta']],
    ['metrics.acc > 0.7', ['alpha', 'beta']],
    ['metric.acc <= 0.75', ['beta', 'delta']],
    ['metrics.acc != 0.5', ['alpha', 'beta']],
    ['metrics.`f1 score` >= 0.5', ['alpha']],
    ["tags.team = 'vision'", ['beta']],
    ["tags.team LIKE 'vision'", ['beta']],
    ["tags.team LIKE 'V%'", ['alpha']],
    ["tags.team ILIKE 'v%'", ['alpha', 'beta', 'Epsilon']],
    ["tags.team LIKE '%\\%'", ['Epsilon']],
    ["tags.team LIKE 'visio_'", ['beta']],
    ["params.opt LIKE 'SGD_%'", ['gamma']],
    ["params.opt ilike 'ADAM'", ['alpha', 'beta']],
    ["tags.`mlflow.user` = 'ann'", ['alpha']],
    ["tags.missing != 'x'", []],
    ["params.missing != 'x'", []],
    ['metrics.missing != 1', []],
    ["attributes.status = 'FAILED'", ['beta']],
    ["status != 'RUNNING'", ['alpha', 'beta']],
    ["attributes.run_name = 'alpha'", ['alpha']],
    ["`Run name` LIKE '%a'", ['alpha', 'beta', 'gamma', 'delta']],
    ["run_name ILIKE 'e%'", ['Epsilon']],
    ['attributes.start_time >= 3000', ['gamma', 'delta', 'Epsilon']],
    ['created < 2000', ['alpha']],
    ["datasets.name = 'iris'", ['alpha']],
    ["dataset.digest IN ('d1', 'd2')", ['alpha', 'delta']],
    ["datasets.context = 'eval'", ['delta']],
    ["params.lr = '0.01' AND metrics.acc > 0.9", ['alpha']],
    ["params.lr = '0.01' and tags.team = 'nlp'", ['gamma']],
    ["params.lr = '0.1' OR tags.team = 'nlp'", ['beta', 'gamma']],
    ["(params.lr = '0.1' OR params.lr = '0.001') AND metrics.acc < 0.6", ['delta']],
  ];
  for (const [filter, expected] of table) {
    it(`${filter || '(empty)'} → ${expected.join(', ') || '∅'}`, async () => {
      expect(sorted(await search({ filter }))).toEqual(sorted(expected));
    });
  }

  it('matches run_id IN lists', async () => {
    const filter = `attributes.run_id IN ('${ids.alpha}', '${ids.delta}')`;
    expect(sorted(await search({ filter }))).toEqual(['alpha', 'delta']);
  });

  it('rejects invalid filters with 400 INVALID_PARAMETER_VALUE', async () => {
    for (const filter of [
      'params.lr = 0.01',
      'metrics.acc > "x"',
      "foo.bar = 'x'",
      "params.lr RLIKE 'x'",
      'attributes.run_id IN ()',
      "params.lr = 'x",
      "tags.t = 'a' AND",
      "status IN ('FAILED')",
    ]) {
      const res = await api.post('/runs/search', { experiment_ids: [exp], filter });
      expect(res.status, filter).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

describe('runs/search ordering and paging', () => {
  it('defaults to start_time DESC', async () => {
    expect(await search({})).toEqual(['Epsilon', 'delta', 'gamma', 'beta', 'alpha']);
  });

  it('orders by metric with NaN after numbers and missing last, both directions', async () => {
    expect(await search({ order_by: ['metrics.acc DESC'] })).toEqual(['alpha', 'beta', 'delta', 'gamma', 'Epsilon']);
    expect(await search({ order_by: ['metrics.acc ASC'] })).toEqual(['delta', 'beta', 'alpha', 'gamma', 'Epsilon']);
  });

  it('orders by param, tag and attribute with missing values last', async () => {
    expect(await search({ order_by: ['params.lr ASC', 'attributes.run_name DESC'] })).toEqual([
      'delta',
      'gamma',
      'alpha',
      'beta',
      'Epsilon',
    ]);
    expect(await search({ order_by: ['tags.team DESC'] })).toEqual(['Epsilon', 'beta', 'gamma', 'alpha', 'delta']);
    expect(await search({ order_by: ['attributes.start_time ASC'] })).toEqual([
      'alpha',
      'beta',
      'gamma',
      'delta',
      'Epsilon',
    ]);
  });

  it('pages with tokens to the same result as one page', async () => {
    for (const order_by of [[], ['metrics.acc DESC'], ['params.lr ASC']]) {
      const all = await search({ order_by });
      const paged: string[] = [];
      let token: string | undefined;
      do {
        const res = await api.ok('POST', '/runs/search', {
          experiment_ids: [exp],
          order_by,
          max_results: 2,
          page_token: token,
        });
        paged.push(...(res.runs ?? []).map((r: { info: { run_name: string } }) => r.info.run_name));
        token = res.next_page_token;
      } while (token);
      expect(paged).toEqual(all);
    }
  });

  it('rejects bad tokens, bad order_by and out-of-range max_results', async () => {
    expect((await api.post('/runs/search', { experiment_ids: [exp], page_token: 'not-a-token' })).status).toBe(400);
    expect((await api.post('/runs/search', { experiment_ids: [exp], order_by: ['metrics.acc SIDEWAYS'] })).status).toBe(
      400,
    );
    expect(
      (await api.post('/runs/search', { experiment_ids: [exp], order_by: ['params.lr', 'params.lr DESC'] })).status,
    ).toBe(400);
    expect((await api.post('/runs/search', { experiment_ids: [exp], max_results: 50001 })).status).toBe(400);
    const first = await api.ok('POST', '/runs/search', { experiment_ids: [exp], max_results: 1 });
    const replay = await api.post('/runs/search', {
      experiment_ids: [exp],
      max_results: 1,
      filter: "params.lr = '0.01'",
      page_token: first.next_page_token,
    });
    expect(replay.status).toBe(400);
  });

  it('returns deleted runs only when asked', async () => {
    const id = await api.createRun(exp, { run_name: 'zombie', start_time: 10 });
    await api.ok('POST', '/runs/delete', { run_id: id });
    expect(await search({})).not.toContain('zombie');
    expect(await search({ run_view_type: 'DELETED_ONLY' })).toEqual(['zombie']);
    expect(await search({ run_view_type: 'ALL' })).toContain('zombie');
  });

  it('returns each run with info, latest metrics, params, tags and dataset inputs', async () => {
    const res = await api.ok('POST', '/runs/search', {
      experiment_ids: [exp],
      filter: "attributes.run_name = 'alpha'",
    });
    const run = res.runs[0];
    expect(run.info.run_id).toBe(ids.alpha);
    expect(run.data.metrics.find((m: { key: string }) => m.key === 'acc').value).toBe(0.91);
    expect(run.data.params).toEqual([
      { key: 'lr', value: '0.01' },
      { key: 'opt', value: 'Adam' },
    ]);
    expect(run.inputs.dataset_inputs[0].dataset.name).toBe('iris');
  });
});
