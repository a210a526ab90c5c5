import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunSearchQuery, searchRuns } from '../../src/search/index.ts';
import { openStore, type Store } from '../../src/store.ts';
import { seedExperiment, seedRuns, seedWorkspace, uuidFor } from './seed.ts';

let store: Store;
let names: Map<number, string>;

const NAN = Number.NaN;

beforeAll(async () => {
  store = await openStore(':memory:');
  await seedWorkspace(store);
  for (const id of [1, 2]) await seedExperiment(store, id);
  names = await seedRuns(store, [
    {
      name: 'alpha', user: 'alice', status: 'FINISHED', start: 1000, end: 2000,
      params: { lr: '0.01', model: 'CNN' }, tags: { env: 'Prod', note: '50% off' }, metrics: { acc: 0.9, loss: 0.1 },
      inputs: [['train', 'd1', { 'mlflow.data.context': 'training' }]],
    },
    {
      name: 'beta', user: 'bob', status: 'RUNNING', start: 2000,
      params: { lr: '0.1', model: 'cnn' }, tags: { env: 'prod', note: '500 off' }, metrics: { acc: 0.5, loss: NAN },
      inputs: [['eval', 'd2', { 'mlflow.data.context': 'eval' }]],
    },
    { name: 'gamma', user: 'alice', status: 'FAILED', start: 3000, end: 3500, params: { lr: '0.01', model: 'rnn_v2' }, tags: { env: 'dev' }, metrics: { acc: NAN } },
    {
      name: 'delta', user: 'carol', status: 'KILLED', start: 4000, end: 4100,
      params: { model: 'a*b?[c]' }, tags: { 'mlflow.source.name': 'train.py' }, metrics: { acc: 0.7, 'f1 score': 0.3 },
      inputs: [['train', 'd1', { 'mlflow.data.context': 'training' }], ['eval', 'd2', { other: 'x' }]],
    },
    { name: 'Zeta Run', user: 'dave', status: 'SCHEDULED', start: 2000 },
    { name: 'epsilon', deleted: true, start: 5000, params: { lr: '0.01' }, metrics: { acc: 0.95 } },
    { name: 'other', experiment: 2, start: 1500, params: { lr: '0.01' }, metrics: { acc: 0.99 } },
  ]);
});

afterAll(() => store.close());

const query = (q: Partial<RunSearchQuery>): RunSearchQuery => ({ experimentIds: [1], viewType: 'ACTIVE_ONLY', maxResults: 1000, orderBy: [], ...q });

async function search(q: Partial<RunSearchQuery>): Promise<string[]> {
  const { runIds } = await searchRuns(store, query(q));
  return runIds.map((id) => names.get(id) ?? `?${id}`);
}

const ALL = ['alpha', 'beta', 'gamma', 'delta', 'Zeta Run'];
const [ALPHA, BETA, GAMMA] = [uuidFor(1), uuidFor(2), uuidFor(3)];

const FILTERS: [string, string[]][] = [
  ['', ALL],
  ['   ', ALL],
  ["params.lr = '0.01'", ['alpha', 'gamma']],
  ['params.lr = "0.01"', ['alpha', 'gamma']],
  ["param.lr != '0.01'", ['beta']],
  ["parameters.lr = '0.1'", ['beta']],
  ["parameter.`lr` = '0.1'", ['beta']],
  ["params.model LIKE 'cnn'", ['beta']],
  ["params.model like 'c%'", ['beta']],
  ["params.model LIKE 'C%'", ['alpha']],
  ["params.model ILIKE 'cnn'", ['alpha', 'beta']],
  ["params.model ilike 'C%'", ['alpha', 'beta']],
  ["params.model LIKE '___'", ['alpha', 'beta']],
  ["params.model LIKE 'rnn_v_'", ['gamma']],
  ["params.model LIKE 'a*b?[c]'", ['delta']],
  ["params.model LIKE 'a*%'", ['delta']],
  ["params.model LIKE '%[c]'", ['delta']],
  ["params.model LIKE 'a?b%'", []],
  ["params.model ILIKE '%?[C]'", ['delta']],
  ["tags.note LIKE '50% off'", ['alpha', 'beta']],
  ["tags.note LIKE '50\\% off'", ['alpha']],
  ["tags.note ILIKE '50\\%%'", ['alpha']],
  ["tags.env = 'prod'", ['beta']],
  ["tags.env = 'PROD'", []],
  ["tags.env ILIKE 'PROD'", ['alpha', 'beta']],
  ["tags.env != 'prod'", ['alpha', 'gamma']],
  ["tag.env LIKE '%'", ['alpha', 'beta', 'gamma']],
  ['tags."mlflow.runName" = \'alpha\'', ['alpha']],
  ["tags.`mlflow.runName` = 'beta'", ['beta']],
  ["tags.mlflow.source.name = 'train.py'", ['delta']],
  ['metrics.acc > 0.6', ['alpha', 'delta']],
  ['metrics.acc >= 0.5', ['alpha', 'beta', 'delta']],
  ['metrics.acc != 0.5', ['alpha', 'delta']],
  ['metrics.acc < 1', ['alpha', 'beta', 'delta']],
  ['metrics.acc > -1e3', ['alpha', 'beta', 'delta']],
  ['metrics.acc <= 0', []],
  ['metrics.loss < 1', ['alpha']],
  ['metric.acc = 0.9', ['alpha']],
  ['metrics.`f1 score` < 0.5', ['delta']],
  ['metrics."f1 score" = 0.3', ['delta']],
  [`attributes.run_id IN ('${ALPHA}', '${BETA}')`, ['alpha', 'beta']],
  [`run_id in ('${ALPHA.toUpperCase()}', '123')`, []],
  [`run_id NOT IN ('${ALPHA}')`, ['beta', 'gamma', 'delta', 'Zeta Run']],
  [`run_id not in ('ABC')`, ALL],
  [`attributes.run_id = '${GAMMA}'`, ['gamma']],
  ["status = 'RUNNING'", ['beta']],
  ["attributes.status != 'FINISHED'", ['beta', 'gamma', 'delta', 'Zeta Run']],
  ["attribute.status LIKE '%ED'", ['alpha', 'gamma', 'delta', 'Zeta Run']],
  ['attributes.start_time >= 2000', ['beta', 'gamma', 'delta', 'Zeta Run']],
  ['created < 2000', ['alpha']],
  ['Created = 2000', ['beta', 'Zeta Run']],
  ['attributes.end_time > 3000', ['gamma', 'delta']],
  ['end_time != 3500', ['alpha', 'delta']],
  ["attributes.run_name = 'alpha'", ['alpha']],
  ["`Run name` = 'Zeta Run'", ['Zeta Run']],
  ["`run name` LIKE '%Run'", ['Zeta Run']],
  ["`Run Name` ILIKE 'zeta%'", ['Zeta Run']],
  ["run.user_id = 'alice'", ['alpha', 'gamma']],
  ["attr.artifact_uri LIKE '%/a0000000000000000000000000000004/%'", ['delta']],
  ["datasets.name = 'train'", ['alpha', 'delta']],
  ["dataset.digest IN ('d2')", ['beta', 'delta']],
  ["datasets.context = 'training'", ['alpha', 'delta']],
  ["datasets.context = 'eval'", ['beta']],
  ["datasets.context != 'training'", ['beta']],
  ["datasets.context LIKE 'train%'", ['alpha', 'delta']],
  ["datasets.context IN ('eval', 'x')", ['beta']],
  ["dataset.name IN ('train') AND dataset.digest IN ('d2')", ['delta']],
  ["datasets.name NOT IN ('train')", ['beta', 'delta']],
  ["params.lr = '0.01' OR tags.env = 'prod'", ['alpha', 'beta', 'gamma']],
  ["(params.lr = '0.01' OR tags.env = 'prod') AND metrics.acc > 0.6", ['alpha']],
  ["params.lr = '0.01' OR tags.env = 'prod' AND metrics.acc > 0.6", ['alpha', 'gamma']],
  ["tags.env = 'prod' AND metrics.acc > 0.6 OR params.lr = '0.01'", ['alpha', 'gamma']],
  ["metrics.acc > 0.6 and params.lr = '0.01'", ['alpha']],
  ["((status = 'KILLED')) or (status = 'FAILED' AND (user_id = 'alice'))", ['gamma', 'delta']],
];

describe('searchRuns filters', () => {
  it.each(FILTERS)('%s', async (filter, expected) => {
    expect((await search({ filter })).sort()).toEqual([...expected].sort());
  });
});

const ORDERS: [string[], string[], string?][] = [
  [[], ['delta', 'gamma', 'beta', 'Zeta Run', 'alpha']],
  [['metrics.acc DESC'], ['alpha', 'delta', 'beta', 'gamma', 'Zeta Run']],
  [['metrics.acc ASC'], ['beta', 'delta', 'alpha', 'gamma', 'Zeta Run']],
  [['metrics.acc'], ['beta', 'delta', 'alpha', 'gamma', 'Zeta Run']],
  [['metrics.acc DESC'], ['alpha', 'delta', 'beta'], 'metrics.acc > 0.1'],
  [['metrics.acc asc'], ['beta', 'delta', 'alpha'], 'metrics.acc > 0.1 AND metrics.acc < 1'],
  [['metrics.loss DESC'], ['alpha', 'beta', 'delta', 'gamma', 'Zeta Run']],
  [['params.lr ASC'], ['gamma', 'alpha', 'beta', 'delta', 'Zeta Run']],
  [['params.lr DESC'], ['beta', 'gamma', 'alpha', 'delta', 'Zeta Run']],
  [['params.lr DESC'], ['beta', 'gamma', 'alpha'], "params.lr LIKE '0%'"],
  [['attributes.end_time ASC'], ['alpha', 'gamma', 'delta', 'beta', 'Zeta Run']],
  [['end_time DESC'], ['delta', 'gamma', 'alpha', 'beta', 'Zeta Run']],
  [['start_time ASC'], ['alpha', 'beta', 'Zeta Run', 'gamma', 'delta']],
  [['created DESC'], ['delta', 'gamma', 'beta', 'Zeta Run', 'alpha']],
  [['attributes.run_name'], ['Zeta Run', 'alpha', 'beta', 'delta', 'gamma']],
  [['tags.env DESC'], ['beta', 'gamma', 'alpha', 'delta', 'Zeta Run']],
  [['tags.`mlflow.runName` DESC'], ['gamma', 'delta', 'beta', 'alpha', 'Zeta Run']],
  [['run_id DESC'], ['Zeta Run', 'delta', 'gamma', 'beta', 'alpha']],
  [['user_id ASC', 'metrics.acc DESC'], ['alpha', 'gamma', 'beta', 'delta', 'Zeta Run']],
  [['status', 'params.lr'], ['gamma', 'alpha', 'delta', 'beta', 'Zeta Run']],
];

describe('searchRuns order_by', () => {
  it.each(ORDERS)('%j → %j (filter %s)', async (orderBy, expected, filter) => {
    expect(await search({ orderBy, filter })).toEqual(expected);
  });

  it.each([[['start_time', 'created DESC']], [['metrics.acc', 'metric.acc DESC']], [['datasets.name']], [['nope']], [['metrics.acc sideways']], [['']]])(
    'rejects %j',
    async (orderBy) => {
      await expect(searchRuns(store, query({ orderBy }))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    },
  );
});

describe('searchRuns scope', () => {
  it('honours view types and experiment ids', async () => {
    expect(await search({ viewType: 'DELETED_ONLY' })).toEqual(['epsilon']);
    expect((await search({ viewType: 'ALL', filter: "params.lr = '0.01'" })).sort()).toEqual(['alpha', 'epsilon', 'gamma']);
    expect((await search({ experimentIds: [1, 2], filter: "params.lr = '0.01'" })).sort()).toEqual(['alpha', 'gamma', 'other']);
    expect(await search({ experimentIds: [2] })).toEqual(['other']);
    expect(await search({ experimentIds: [] })).toEqual([]);
  });
});

describe('searchRuns pagination', () => {
  const CASES: [string | undefined, string[]][] = [
    [undefined, []],
    [undefined, ['metrics.acc DESC']],
    [undefined, ['metrics.loss ASC', 'params.model DESC']],
    [undefined, ['params.lr ASC']],
    [undefined, ['end_time DESC']],
    ['metrics.acc > 0', ['metrics.acc DESC']],
    ["params.lr != 'x' OR tags.env LIKE '%'", ['tags.env ASC']],
  ];
  it.each(CASES)('pages of every size give the single-page result (filter %s, order %j)', async (filter, orderBy) => {
    const full = await searchRuns(store, query({ filter, orderBy, viewType: 'ALL', experimentIds: [1, 2] }));
    expect(full.nextPageToken).toBeUndefined();
    for (const size of [1, 2, 3]) {
      const collected: number[] = [];
      let pageToken: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await searchRuns(store, query({ filter, orderBy, viewType: 'ALL', experimentIds: [2, 1], maxResults: size, pageToken }));
        expect(page.runIds.length).toBeLessThanOrEqual(size);
        collected.push(...page.runIds);
        pageToken = page.nextPageToken;
        if (!pageToken) break;
      }
      expect(collected).toEqual(full.runIds);
    }
  });

  it('returns no token when the page is exactly the rest', async () => {
    expect((await searchRuns(store, query({ maxResults: 5 }))).nextPageToken).toBeUndefined();
    expect((await searchRuns(store, query({ maxResults: 4 }))).nextPageToken).toBeTypeOf('string');
  });

  it('rejects garbage and replayed tokens', async () => {
    const { nextPageToken } = await searchRuns(store, query({ maxResults: 2, filter: "params.lr = '0.01' OR metrics.acc > 0" }));
    expect(nextPageToken).toBeDefined();
    const bad = [
      'garbage!!',
      'bm90IGpzb24',
      Buffer.from('{"v":1,"fp":"x","after":[]}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ];
    for (const pageToken of bad) {
      await expect(searchRuns(store, query({ pageToken }))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
    for (const other of [{ filter: "params.lr = '0.1'" }, { orderBy: ['metrics.acc'] }, { experimentIds: [1, 2] }, { viewType: 'ALL' as const }]) {
      await expect(searchRuns(store, query({ filter: "params.lr = '0.01' OR metrics.acc > 0", maxResults: 2, pageToken: nextPageToken, ...other }))).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
      });
    }
  });

  it('rejects invalid filters with INVALID_PARAMETER_VALUE', async () => {
    for (const filter of ['params.lr = 0.01', "metrics.acc > '1'", 'foo.bar = 1', "params.lr RLIKE 'x'"]) {
      await expect(searchRuns(store, query({ filter }))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
  });
});
