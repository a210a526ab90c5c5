import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchRuns } from '../../src/search/index.ts';
import { openStore, type Store } from '../../src/store.ts';
import { type SeedRun, seedExperiment, seedRuns, seedWorkspace, uuidFor } from './seed.ts';

// A larger, tie-heavy data set checked against a reference sort written in plain TypeScript.
let store: Store;
let byName: Map<string, number>;
const runs: (SeedRun & { uuid: string })[] = [];

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

beforeAll(async () => {
  store = await openStore(':memory:');
  await seedWorkspace(store);
  await seedExperiment(store, 1);
  const r = rng(7);
  for (let i = 0; i < 60; i++) {
    const m = r();
    const p = r();
    const run: SeedRun & { uuid: string } = {
      name: `r${i}`,
      uuid: uuidFor(i + 1),
      start: 1 + Math.floor(r() * 5),
      end: r() < 0.3 ? null : 10 + Math.floor(r() * 3),
      metrics: m < 0.2 ? {} : m < 0.35 ? { m: Number.NaN } : { m: [0.1, 0.2, 0.3][Math.floor(r() * 3)] },
      params: p < 0.25 ? {} : { p: ['a', 'b', 'B', 'c'][Math.floor(r() * 4)] },
    };
    runs.push(run);
  }
  const names = await seedRuns(store, runs);
  byName = new Map([...names].map(([id, name]) => [name, id]));
});

afterAll(() => store.close());

type Run = (typeof runs)[number];
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
  const rank = (v: unknown, metric?: boolean) => (v === undefined || v === null ? 2 : metric && Number.isNaN(v) ? 1 : 0);
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
  ["params.p LIKE 'b' OR metrics.m < 0.2", (r) => r.params?.p === 'b' || (r.metrics?.m !== undefined && r.metrics.m < 0.2)],
];
const ORDERS = [[], ['metrics.m DESC'], ['metrics.m ASC', 'params.p DESC'], ['params.p ASC'], ['end_time ASC', 'metrics.m DESC'], ['params.p DESC', 'metrics.m ASC', 'end_time ASC']];

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
