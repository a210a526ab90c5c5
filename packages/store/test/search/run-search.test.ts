import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunSearchQuery, searchRuns } from '../../src/search/index.ts';
import type { Store } from '../../src/store.ts';
import { ALL_ACTIVE as ALL, openRunFixture } from './run-fixture.ts';
import { uuidFor } from './seed.ts';

let store: Store;
let search: (q: Partial<RunSearchQuery>) => Promise<string[]>;
let query: (q: Partial<RunSearchQuery>) => RunSearchQuery;

beforeAll(async () => {
  ({ store, search, query } = await openRunFixture());
});

afterAll(() => store.close());

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
  [
    ['user_id ASC', 'metrics.acc DESC'],
    ['alpha', 'gamma', 'beta', 'delta', 'Zeta Run'],
  ],
  [
    ['status', 'params.lr'],
    ['gamma', 'alpha', 'delta', 'beta', 'Zeta Run'],
  ],
];

describe('searchRuns order_by', () => {
  it.each(ORDERS)('%j → %j (filter %s)', async (orderBy, expected, filter) => {
    expect(await search({ orderBy, filter })).toEqual(expected);
  });

  it.each([
    [['start_time', 'created DESC']],
    [['metrics.acc', 'metric.acc DESC']],
    [['datasets.name']],
    [['nope']],
    [['metrics.acc sideways']],
    [['']],
  ])('rejects %j', async (orderBy) => {
    await expect(searchRuns(store, query({ orderBy }))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('searchRuns scope', () => {
  it('honours view types and experiment ids', async () => {
    expect(await search({ viewType: 'DELETED_ONLY' })).toEqual(['epsilon']);
    expect((await search({ viewType: 'ALL', filter: "params.lr = '0.01'" })).sort()).toEqual([
      'alpha',
      'epsilon',
      'gamma',
    ]);
    expect((await search({ experimentIds: [1, 2], filter: "params.lr = '0.01'" })).sort()).toEqual([
      'alpha',
      'gamma',
      'other',
    ]);
    expect(await search({ experimentIds: [2] })).toEqual(['other']);
    expect(await search({ experimentIds: [] })).toEqual([]);
  });
});
