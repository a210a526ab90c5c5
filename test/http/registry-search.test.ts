import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, toQuery } from '../support/server.ts';

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let runA: string;
let runB: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  runA = await api.createRun('0');
  runB = await api.createRun('0');
  const models: [string, Record<string, string>][] = [
    ['alpha-clf', { team: 'vision' }],
    ['Beta-clf', { team: 'nlp' }],
    ['gamma_reg', {}],
    ['my-prompt', { 'mlflow.prompt.is_prompt': 'true' }],
  ];
  for (const [name, tags] of models) {
    await api.ok('POST', '/registered-models/create', {
      name,
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
  }
  for (const [name, run] of [
    ['alpha-clf', runA],
    ['alpha-clf', runB],
    ['Beta-clf', runA],
    ['gamma_reg', runB],
    ['my-prompt', runA],
  ]) {
    await api.ok('POST', '/model-versions/create', {
      name,
      source: `runs:/${run}/model`,
      run_id: run,
      tags: [{ key: 'owner', value: name === 'alpha-clf' ? 'ann' : 'bob' }],
    });
  }
});
afterAll(() => server.close());

const models = async (query: Record<string, string | string[]>) =>
  ((await api.ok('GET', `/registered-models/search${toQuery(query)}`)).registered_models ?? []).map(
    (m: { name: string }) => m.name,
  );
const versions = async (query: Record<string, string | string[]>) =>
  ((await api.ok('GET', `/model-versions/search${toQuery(query)}`)).model_versions ?? []).map(
    (v: { name: string; version: string }) => `${v.name}/${v.version}`,
  );

describe('registered-models/search', () => {
  it.each([
    ['', ['Beta-clf', 'alpha-clf', 'gamma_reg']],
    ["name LIKE '%clf'", ['Beta-clf', 'alpha-clf']],
    ["name ILIKE 'b%'", ['Beta-clf']],
    ["name LIKE 'b%'", []],
    ["name = 'gamma_reg'", ['gamma_reg']],
    ["tags.team = 'vision'", ['alpha-clf']],
    ["tags.team != 'vision'", ['Beta-clf']],
    ["tags.`mlflow.prompt.is_prompt` = 'true'", ['my-prompt']],
  ])('%s', async (filter, expected) => {
    expect(await models(filter ? { filter } : {})).toEqual(expected);
  });

  it('orders, pages and validates', async () => {
    expect(await models({ order_by: 'name DESC' })).toEqual(['gamma_reg', 'alpha-clf', 'Beta-clf']);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const res = await api.ok(
        'GET',
        `/registered-models/search${toQuery({ max_results: '1', ...(token ? { page_token: token } : {}) })}`,
      );
      paged.push(...(res.registered_models ?? []).map((m: { name: string }) => m.name));
      token = res.next_page_token;
    } while (token);
    expect(paged).toEqual(['Beta-clf', 'alpha-clf', 'gamma_reg']);
    const bad: Record<string, string | string[]>[] = [
      { max_results: '1001' },
      { filter: 'name = x' },
      { filter: "run_id = 'x'" },
      { order_by: 'bogus' },
      { order_by: ['name', 'name DESC'] },
      { page_token: 'junk' },
    ];
    for (const query of bad) {
      expect((await api.get('/registered-models/search', query)).status, JSON.stringify(query)).toBe(400);
    }
  });
});

describe('model-versions/search', () => {
  it.each([
    ["name = 'alpha-clf'", ['alpha-clf/2', 'alpha-clf/1']],
    ["name = 'alpha-clf' AND version_number > 1", ['alpha-clf/2']],
    ["tags.owner = 'bob'", ['gamma_reg/1', 'Beta-clf/1']],
    ["source_path LIKE 'runs:/%'", ['gamma_reg/1', 'Beta-clf/1', 'alpha-clf/2', 'alpha-clf/1']],
    ["name = 'my-prompt'", []],
    ["tags.`mlflow.prompt.is_prompt` = 'true'", ['my-prompt/1']],
  ])('%s', async (filter, expected) => {
    expect(await versions({ filter })).toEqual(expected);
  });

  it('matches run_id and run_id IN (the UI and client filters)', async () => {
    expect((await versions({ filter: `run_id = '${runB}'` })).sort()).toEqual(['alpha-clf/2', 'gamma_reg/1']);
    expect((await versions({ filter: `run_id IN ('${runA}', '${runB}')` })).length).toBe(4);
  });

  it('orders by version_number and validates', async () => {
    expect(await versions({ filter: "name = 'alpha-clf'", order_by: 'version_number ASC' })).toEqual([
      'alpha-clf/1',
      'alpha-clf/2',
    ]);
    const bad: Record<string, string>[] = [
      { max_results: '200001' },
      { filter: 'version_number = "one"' },
      { filter: "bogus = 'x'" },
      { order_by: 'source DESC' },
    ];
    for (const query of bad) {
      expect((await api.get('/model-versions/search', query)).status, JSON.stringify(query)).toBe(400);
    }
  });
});
