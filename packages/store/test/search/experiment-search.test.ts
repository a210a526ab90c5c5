import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../../test/support/backend.ts';
import { type ExperimentSearchQuery, searchExperiments } from '../../src/search/index.ts';
import type { Store } from '../../src/store.ts';
import { seedWorkspace } from './seed.ts';

let store: Store;

const EXPERIMENTS: [number, number, string, number, number, string, Record<string, string>][] = [
  // id, workspace, name, creation_time, last_update_time, lifecycle, tags
  [1, 1, 'Default', 100, 100, 'active', {}],
  [2, 1, 'alpha-exp', 300, 500, 'active', { team: 'ML', 'mlflow.note.content': 'hi' }],
  [3, 1, 'Beta_exp', 200, 600, 'active', { team: 'ml' }],
  [4, 1, 'gamma%exp', 300, 300, 'deleted', {}],
  [5, 1, 'delta', 400, 400, 'active', { team: 'Data' }],
  [6, 2, 'alpha-exp', 1000, 1000, 'active', { team: 'ML' }],
];

beforeAll(async () => {
  store = await openTestStore();
  await seedWorkspace(store, 1);
  await seedWorkspace(store, 2);
  for (const [id, ws, name, created, updated, stage, tags] of EXPERIMENTS) {
    await store.db
      .insertInto('experiments')
      .values({
        experiment_id: id,
        workspace_id: ws,
        name,
        artifact_location: `/a/${id}`,
        lifecycle_stage: stage,
        creation_time: created,
        last_update_time: updated,
        deleted_time: null,
      })
      .execute();
    for (const [key, value] of Object.entries(tags))
      await store.db.insertInto('experiment_tags').values({ experiment_id: id, key, value }).execute();
  }
});

afterAll(() => store.close());

const query = (q: Partial<ExperimentSearchQuery>): ExperimentSearchQuery => ({
  workspaceId: 1,
  viewType: 'ACTIVE_ONLY',
  maxResults: 1000,
  orderBy: [],
  ...q,
});
const search = async (q: Partial<ExperimentSearchQuery>) => (await searchExperiments(store, query(q))).experimentIds;

describe('searchExperiments filters', () => {
  it.each([
    ['', [5, 2, 3, 1]],
    ["name = 'alpha-exp'", [2]],
    ["name LIKE 'alpha%'", [2]],
    ["name LIKE 'beta%'", []],
    ["name ILIKE 'beta%'", [3]],
    ["attribute.name ILIKE '%EXP%'", [2, 3]],
    ["name LIKE '%\\_%'", [3]],
    ["name LIKE '%_%'", [5, 2, 3, 1]],
    ["name != 'delta'", [2, 3, 1]],
    ['creation_time >= 300', [5, 2]],
    ['last_update_time < 500', [5, 1]],
    ["tags.team = 'ml'", [3]],
    ["tags.team ILIKE 'ML'", [2, 3]],
    ["tag.team != 'ML'", [5, 3]],
    ["tags.`mlflow.note.content` = 'hi'", [2]],
    ['tags."mlflow.note.content" LIKE \'h_\'', [2]],
    ["name != 'delta' OR tags.team = 'Data'", [5, 2, 3, 1]],
    ["(name ILIKE 'a%' OR name ILIKE 'b%') AND creation_time < 300", [3]],
  ] as [string, number[]][])('%s', async (filter, expected) => {
    expect(await search({ filter })).toEqual(expected);
  });

  it('honours view types and workspaces', async () => {
    expect(await search({ viewType: 'ALL' })).toEqual([5, 2, 4, 3, 1]);
    expect(await search({ viewType: 'DELETED_ONLY' })).toEqual([4]);
    expect(await search({ viewType: 'ALL', filter: "name LIKE '%\\%%'" })).toEqual([4]);
    expect(await search({ workspaceId: 2 })).toEqual([6]);
    expect(await search({ workspaceId: 3 })).toEqual([]);
  });
});

describe('searchExperiments order_by', () => {
  it.each([
    [['name ASC'], [3, 1, 2, 5]],
    [['name DESC'], [5, 2, 1, 3]],
    [['attribute.name'], [3, 1, 2, 5]],
    [['creation_time ASC'], [1, 3, 2, 5]],
    [['experiment_id DESC'], [5, 3, 2, 1]],
    [['last_update_time desc'], [3, 2, 5, 1]],
  ] as [string[], number[]][])('%j', async (orderBy, expected) => {
    expect(await search({ orderBy })).toEqual(expected);
  });

  it('appends experiment_id DESC as the tie-break', async () => {
    expect(await search({ viewType: 'ALL', orderBy: ['creation_time ASC'] })).toEqual([1, 3, 4, 2, 5]);
  });

  it.each([[['attributes.name']], [['tags.team']], [['name', 'name DESC']], [['metrics.a']], [['nope ASC']]])(
    'rejects %j',
    async (orderBy) => {
      await expect(search({ orderBy })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    },
  );
});

describe('searchExperiments pagination', () => {
  it.each([[[]], [['name DESC']], [['creation_time ASC']], [['last_update_time ASC', 'experiment_id ASC']]] as [
    string[],
  ][])('pages of every size give the single-page result for %j', async (orderBy) => {
    const full = await search({ orderBy, viewType: 'ALL' });
    for (const maxResults of [1, 2, 3]) {
      const collected: number[] = [];
      let pageToken: string | undefined;
      do {
        const page = await searchExperiments(store, query({ orderBy, viewType: 'ALL', maxResults, pageToken }));
        collected.push(...page.experimentIds);
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined && collected.length < 20);
      expect(collected).toEqual(full);
    }
  });

  it('rejects garbage and replayed tokens', async () => {
    const { nextPageToken } = await searchExperiments(store, query({ maxResults: 1 }));
    expect(nextPageToken).toBeDefined();
    await expect(search({ pageToken: 'not a token' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(search({ pageToken: `${nextPageToken}x` })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(search({ maxResults: 1, pageToken: nextPageToken, filter: "name = 'x'" })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(search({ maxResults: 1, pageToken: nextPageToken, workspaceId: 2 })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    expect(await search({ maxResults: 5, pageToken: nextPageToken })).toEqual([2, 3, 1]);
  });
});
