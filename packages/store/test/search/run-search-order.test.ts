import { type SqlBool, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../../test/support/backend.ts';
import { searchRuns } from '../../src/search/index.ts';
import { preferLeadIndex } from '../../src/search/lead-probe.ts';
import type { Store } from '../../src/store.ts';
import { type SeedRun, seedExperiment, seedRuns, seedWorkspace, uuidFor } from './seed.ts';

// A larger, tie-heavy data set checked against a reference sort written in plain TypeScript.
let store: Store;
let byName: Map<string, number>;
type Run = SeedRun & { uuid: string };
const runs: Run[] = [];
const big: Run[] = [];

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function generate(count: number, experiment: number, firstIndex: number, seed: number): Run[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i): Run => {
    const m = r();
    const p = r();
    return {
      name: `e${experiment}r${i}`,
      experiment,
      uuid: uuidFor(firstIndex + i),
      start: 1 + Math.floor(r() * 5),
      end: r() < 0.3 ? null : 10 + Math.floor(r() * 3),
      metrics: m < 0.2 ? {} : m < 0.35 ? { m: Number.NaN } : { m: [0.1, 0.2, 0.3][Math.floor(r() * 3)] },
      params: p < 0.25 ? {} : { p: ['a', 'b', 'B', 'c'][Math.floor(r() * 4)] },
    };
  });
}

beforeAll(async () => {
  store = await openTestStore();
  await seedWorkspace(store);
  await seedExperiment(store, 1);
  await seedExperiment(store, 2);
  runs.push(...generate(60, 1, 1, 7));
  // Experiment 2 holds most of metric m's index entries, so small experiment 1 is searched by walking its runs.
  big.push(...generate(1500, 2, 1000, 11));
  const names = new Map([...(await seedRuns(store, runs, 1)), ...(await seedRuns(store, big, 1000))]);
  byName = new Map([...names].map(([id, name]) => [name, id]));
});

afterAll(() => store.close());

type Key = { get: (r: Run) => number | string | null | undefined; desc: boolean; metric?: boolean };

const KEYS: Record<string, Key> = {
  'metrics.m DESC': { get: (r) => r.metrics?.m, desc: true, metric: true },
  'metrics.m ASC': { get: (r) => r.metrics?.m, desc: false, metric: true },
  'params.p ASC': { get: (r) => r.params?.p, desc: false },
  'params.p DESC': { get: (r) => r.params?.p, desc: true },
  'end_time ASC': { get: (r) => r.end, desc: false },
};

function cmp(a: number | string, b: number | string, desc: boolean): number {
  const c = a < b ? -1 : a > b ? 1 : 0;
  return desc ? -c : c;
}

/** MLflow order: metrics real < NaN < missing; other missing values last; then start_time DESC, run_id ASC. */
function referenceOrder(list: Run[], orderBy: string[]): string[] {
  const keys = orderBy.map((o) => KEYS[o]);
  const rank = (v: unknown, metric?: boolean) =>
    v === undefined || v === null ? 2 : metric && Number.isNaN(v) ? 1 : 0;
  return [...list]
    .sort((a, b) => {
      for (const k of keys) {
        const [va, vb] = [k.get(a), k.get(b)];
        const [ra, rb] = [rank(va, k.metric), rank(vb, k.metric)];
        if (ra !== rb) return ra - rb;
        if (ra === 0) {
          const c = cmp(va as number | string, vb as number | string, k.desc);
          if (c !== 0) return c;
        }
      }
      return b.start - a.start || cmp(a.uuid, b.uuid, false);
    })
    .map((r) => r.name);
}

const FILTERS: [string | undefined, (r: Run) => boolean][] = [
  [undefined, () => true],
  ['metrics.m >= 0.2', (r) => r.metrics?.m !== undefined && r.metrics.m >= 0.2],
  ["params.p != 'a'", (r) => r.params?.p !== undefined && r.params.p !== 'a'],
  [
    "params.p LIKE 'b' OR metrics.m < 0.2",
    (r) => r.params?.p === 'b' || (r.metrics?.m !== undefined && r.metrics.m < 0.2),
  ],
];
const ORDERS = [
  [],
  ['metrics.m DESC'],
  ['metrics.m ASC', 'params.p DESC'],
  ['params.p ASC'],
  ['end_time ASC', 'metrics.m DESC'],
  ['params.p DESC', 'metrics.m ASC', 'end_time ASC'],
];

describe('run ordering and keyset paging against a reference sort', () => {
  for (const [filter, predicate] of FILTERS) {
    for (const orderBy of ORDERS) {
      it(`filter ${filter ?? '(none)'} order ${orderBy.join(', ') || '(default)'}`, async () => {
        const expected = referenceOrder(runs.filter(predicate), orderBy).map((n) => byName.get(n));
        const base = { experimentIds: [1], viewType: 'ACTIVE_ONLY' as const, orderBy, filter };
        expect((await searchRuns(store, { ...base, maxResults: 1000 })).runIds).toEqual(expected);
        for (const maxResults of [1, 4, 7]) {
          const collected: number[] = [];
          let pageToken: string | undefined;
          do {
            const page = await searchRuns(store, { ...base, maxResults, pageToken });
            collected.push(...page.runIds);
            pageToken = page.nextPageToken;
          } while (pageToken !== undefined && collected.length <= 100);
          expect(collected).toEqual(expected);
        }
      });
    }
  }
});

describe('index walk versus run walk', () => {
  const probe = {
    table: 'metric_series' as const,
    key: 'm',
    where: [sql<SqlBool>`o0.is_nan = 0`],
    orderBy: [sql`o0.value`],
    desc: true,
    ordered: true,
  };
  it('walks the runs of a small experiment and the index of a large one', async () => {
    expect(await preferLeadIndex(store.db, probe, [sql<SqlBool>`runs.experiment_id = 1`], 101)).toBe(false);
    expect(await preferLeadIndex(store.db, probe, [sql<SqlBool>`runs.experiment_id = 2`], 101)).toBe(true);
  });

  it.each([[['metrics.m DESC']], [['metrics.m ASC', 'params.p DESC']], [['params.p ASC']]])(
    'orders the large experiment like the reference (%j)',
    async (orderBy) => {
      const expected = referenceOrder(big, orderBy).map((n) => byName.get(n));
      const base = { experimentIds: [2], viewType: 'ACTIVE_ONLY' as const, orderBy };
      expect((await searchRuns(store, { ...base, maxResults: 5000 })).runIds).toEqual(expected);
      const collected: number[] = [];
      let pageToken: string | undefined;
      do {
        const page = await searchRuns(store, { ...base, maxResults: 97, pageToken });
        collected.push(...page.runIds);
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined && collected.length <= 2000);
      expect(collected).toEqual(expected);
    },
  );
});
