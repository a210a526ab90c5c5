import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunSearchQuery, searchRuns } from '../../src/search/index.ts';
import type { Store } from '../../src/store.ts';
import { openRunFixture } from './run-fixture.ts';

let store: Store;
let query: (q: Partial<RunSearchQuery>) => RunSearchQuery;

beforeAll(async () => {
  ({ store, query } = await openRunFixture());
});

afterAll(() => store.close());

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
        const page = await searchRuns(
          store,
          query({ filter, orderBy, viewType: 'ALL', experimentIds: [2, 1], maxResults: size, pageToken }),
        );
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
    const { nextPageToken } = await searchRuns(
      store,
      query({ maxResults: 2, filter: "params.lr = '0.01' OR metrics.acc > 0" }),
    );
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
    for (const other of [
      { filter: "params.lr = '0.1'" },
      { orderBy: ['metrics.acc'] },
      { experimentIds: [1, 2] },
      { viewType: 'ALL' as const },
    ]) {
      await expect(
        searchRuns(
          store,
          query({ filter: "params.lr = '0.01' OR metrics.acc > 0", maxResults: 2, pageToken: nextPageToken, ...other }),
        ),
      ).rejects.toMatchObject({
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
