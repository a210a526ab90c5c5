import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapBounded } from '../../src/metrics/chart-reader.ts';
import type { MetricReader } from '../../src/metrics/metric-reader.ts';
import type { Store } from '../../src/store.ts';
import { seedExperiment, seedRuns, seedWorkspace, uuidFor } from '../search/seed.ts';
import { openMetricStore, point } from './metric-store-fixture.ts';

// Many-run chart reads on both dialects: the runs of a workspace and their series of one key in
// one query (`chartRuns`), and the charts of many series read together (`charts`), each exactly
// what `chart` answers for it alone, in the order asked.
let store: Store;
let reader: MetricReader;
const runs: [number, string][] = [];
const OTHER = uuidFor(100);

beforeAll(async () => {
  const opened = await openMetricStore(12, 'c');
  ({ store, reader } = opened);
  for (let i = 0; i < 12; i++) runs.push(opened.freshRun());
  // Runs 0–9 log 'loss' (run 7 as rows: steps going down; the others in chunks); run 10 only 'acc'; run 11 nothing.
  for (const [i, [run, uuid]] of runs.slice(0, 10).entries()) {
    const steps = Array.from({ length: 600 }, (_, s) => (i === 7 ? 599 - s : s));
    await opened.writer.write(run, uuid, {
      params: [],
      tags: [],
      metrics: steps.map((s) => point('loss', i * 10 + Math.sin(s / 30), s, 1_000 + s)),
    });
  }
  await opened.writer.write(runs[10][0], runs[10][1], { params: [], tags: [], metrics: [point('acc', 1, 0)] });
  // A run of another workspace with the same key.
  await seedWorkspace(store, 2);
  await seedExperiment(store, 2, 2);
  const [other] = [...(await seedRuns(store, [{ name: 'elsewhere', experiment: 2, start: 0 }], 100)).keys()];
  await opened.writer.write(other, OTHER, { params: [], tags: [], metrics: [point('loss', 3, 0)] });
});
afterAll(() => store?.close());

describe('MetricReader.chartRuns', () => {
  it('finds the runs of the workspace among the uuids, each with its series of the key, in one query', async () => {
    const uuids = [...runs.map(([, uuid]) => uuid), OTHER, 'f'.repeat(32)];
    const found = await reader.chartRuns(1, uuids, 'loss');
    expect([...found.keys()].sort()).toEqual(runs.map(([, uuid]) => uuid).sort());
    for (const [run, uuid] of runs) expect(found.get(uuid), uuid).toBe(await reader.findSeries(run, 'loss'));
    expect(found.get(runs[10][1])).toBeUndefined();
    expect(found.has(runs[11][1])).toBe(true);
    expect(found.get(runs[0][1])).toEqual(expect.any(Number));

    const acc = await reader.chartRuns(1, [runs[10][1], runs[0][1]], 'acc');
    expect(acc.get(runs[10][1])).toBe(await reader.findSeries(runs[10][0], 'acc'));
    expect(acc.has(runs[0][1]) && acc.get(runs[0][1])).toBe(undefined);

    const elsewhere = await reader.chartRuns(2, [runs[0][1], OTHER], 'loss');
    expect([...elsewhere.keys()]).toEqual([OTHER]);
    expect(elsewhere.get(OTHER)).toEqual(expect.any(Number));
    expect((await reader.chartRuns(1, [], 'loss')).size).toBe(0);
  });
});

describe('MetricReader.charts', () => {
  it('charts each series as chart does alone, in the order asked, more series than read at once', async () => {
    const found = await reader.chartRuns(1, runs.map(([, uuid]) => uuid).reverse(), 'loss');
    const order = [...runs.map(([, uuid]) => found.get(uuid)).reverse(), undefined, found.get(runs[3][1])];
    for (const [max, start, end] of [
      [40, undefined, undefined],
      [1000, undefined, undefined],
      [20, 100n, 399n],
      [50, 580n, 700n],
    ] as const) {
      const all = await reader.charts(order, max, start, end, (points, i) => ({ i, points }));
      expect(all.length).toBe(order.length);
      for (const [i, id] of order.entries())
        expect(all[i], `${i} ${max}`).toEqual({
          i,
          points: id === undefined ? [] : await reader.chart(id, max, start, end),
        });
    }
    const [first] = await reader.charts([found.get(runs[9][1])], 40, undefined, undefined, (points) => points);
    expect(Math.round(first[0].value)).toBe(90);
    expect(await reader.charts([], 40, undefined, undefined, () => 1)).toEqual([]);
  });
});

describe('mapBounded', () => {
  it('keeps at most `limit` calls in flight and answers in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded(
      Array.from({ length: 30 }, (_, i) => i),
      8,
      async (item, i) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, (item * 7) % 5));
        inFlight--;
        return item * 2 + i;
      },
    );
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 3));
    expect(most).toBe(8);
    expect(await mapBounded([1, 2], 8, async (i) => i)).toEqual([1, 2]);
  });

  it('fails with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapBounded(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        started.push(i);
        await new Promise((r) => setTimeout(r, 1));
        if (i === 2) throw new Error('boom');
        return i;
      },
    );
    await expect(run).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 20));
    expect(started.length).toBeLessThan(20);
  });
});
