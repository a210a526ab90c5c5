import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricReader, StoredPoint } from '../../src/metrics/metric-reader.ts';
import type { RunDataWriter } from '../../src/run-data-writer.ts';
import type { Store } from '../../src/store.ts';
import { type MetricStore, openMetricStore, point } from './metric-store-fixture.ts';

// The ingest writer and history reader of the store's dialect, checked through their interfaces:
// the same expectations hold on SQLite (prepared statements) and PostgreSQL (array-bound SQL).
let store: Store;
let writer: RunDataWriter;
let reader: MetricReader;
let freshRun: MetricStore['freshRun'];

const empty = { params: [], metrics: [], tags: [] };

/** A run of its own for each test: [runs.id, run_uuid]. */

async function series(runId: number, key: string) {
  const row = await store.db
    .selectFrom('metric_series')
    .selectAll()
    .where('run_id', '=', runId)
    .where('key', '=', key)
    .executeTakeFirst();
  return (
    row && {
      value: row.value,
      is_nan: row.is_nan,
      step: row.step,
      timestamp: row.timestamp,
      min: row.min_value,
      max: row.max_value,
      count: row.point_count,
    }
  );
}

async function history(runId: number, key: string): Promise<StoredPoint[]> {
  const id = await reader.findSeries(runId, key);
  return id === undefined ? [] : reader.page(id, undefined, undefined);
}

beforeAll(async () => {
  ({ store, writer, reader, freshRun } = await openMetricStore(14, 'r'));
});

afterAll(() => store.close());

describe(`run data writer (${process.env.TROVE_TEST_BACKEND ?? 'sqlite'})`, () => {
  it('keeps the latest point by (step, timestamp, value), min, max and the count of distinct points', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, {
      ...empty,
      metrics: [point('loss', 0.5, 1, 10), point('loss', 0.7, 3, 5), point('loss', Number.NaN, 2, 1)],
    });
    await writer.write(run, uuid, {
      ...empty,
      metrics: [
        point('loss', 0.7, 3, 5),
        point('loss', 0.1, 3, 6),
        point('loss', 0.9, 0, 99),
        point('loss', 0.9, 0, 99),
      ],
    });
    expect(await series(run, 'loss')).toEqual({
      value: 0.1,
      is_nan: 0,
      step: 3,
      timestamp: 6,
      min: 0.1,
      max: 0.9,
      count: 5,
    });
    await writer.write(run, uuid, {
      ...empty,
      metrics: [point('loss', Number.NaN, 7, 1), point('loss', Number.POSITIVE_INFINITY, 4, 1)],
    });
    expect(await series(run, 'loss')).toEqual({
      value: 0,
      is_nan: 1,
      step: 7,
      timestamp: 1,
      min: 0.1,
      max: Number.MAX_VALUE,
      count: 7,
    });
    const steps = (await history(run, 'loss')).map((p) => [p.timestamp, p.step, p.is_nan, p.value]);
    expect(steps).toEqual([
      [1, 2, 1, 0],
      [1, 4, 0, Number.MAX_VALUE],
      [1, 7, 1, 0],
      [5, 3, 0, 0.7],
      [6, 3, 0, 0.1],
      [10, 1, 0, 0.5],
      [99, 0, 0, 0.9],
    ]);
  });

  it('ties at the same step and timestamp go to the greater value, whatever the arrival order', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, { ...empty, metrics: [point('acc', 0.9, 5, 5), point('acc', 0.2, 5, 5)] });
    await writer.write(run, uuid, { ...empty, metrics: [point('acc', 0.5, 5, 5)] });
    expect(await series(run, 'acc')).toMatchObject({ value: 0.9, step: 5, count: 3, min: 0.2, max: 0.9 });
  });

  it('folds chunked series alike: a real value beats NaN at the same step, time and value; an all-NaN batch keeps min and max', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, {
      ...empty,
      metrics: [
        point('a', 0.5, 0, 1),
        point('a', 0, 1, 2),
        point('a', Number.NaN, 1, 2),
        point('b', 2, 0, 1),
        point('c', Number.NaN, 1, 2),
        point('c', 0, 1, 2),
      ],
    });
    expect(await series(run, 'a')).toEqual({ value: 0, is_nan: 0, step: 1, timestamp: 2, min: 0, max: 0.5, count: 3 });
    expect(await series(run, 'c')).toEqual({ value: 0, is_nan: 0, step: 1, timestamp: 2, min: 0, max: 0, count: 2 });
    await writer.write(run, uuid, { ...empty, metrics: [point('a', Number.NaN, 2, 3), point('b', Number.NaN, 1, 2)] });
    expect(await series(run, 'a')).toEqual({ value: 0, is_nan: 1, step: 2, timestamp: 3, min: 0, max: 0.5, count: 4 });
    expect(await series(run, 'b')).toEqual({ value: 0, is_nan: 1, step: 1, timestamp: 2, min: 2, max: 2, count: 2 });
  });

  it('keeps count, min, max and latest of chunked series as the points say, batch after batch', async () => {
    const [run, uuid] = freshRun();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const all = new Map<string, { value: number; isNan: 0 | 1; step: number; timestamp: number }[]>();
    const steps = new Map<string, number>();
    for (let batch = 0; batch < 6; batch++) {
      const metrics = [];
      for (const key of ['k0', 'k1', 'k2']) {
        for (let i = 0; i < 1 + Math.floor(random() * 300); i++) {
          const step = (steps.get(key) ?? 0) + Math.floor(random() * 2);
          steps.set(key, step);
          const v = random() < 0.05 ? Number.NaN : Math.round((random() - 0.5) * 100) / 10;
          const p = point(key, v, step, batch * 1000 + i);
          metrics.push(p);
          const list = all.get(key) ?? [];
          if (
            !list.some(
              (q) => q.step === p.step && q.timestamp === p.timestamp && q.value === p.value && q.isNan === p.isNan,
            )
          )
            list.push({ value: p.value, isNan: p.isNan, step: step, timestamp: p.timestamp as number });
          all.set(key, list);
        }
      }
      await writer.write(run, uuid, { ...empty, metrics });
    }
    const layouts = await store.db.selectFrom('metric_series').select('layout').where('run_id', '=', run).execute();
    expect(layouts.map((r) => r.layout)).toEqual([1, 1, 1]);
    for (const [key, list] of all) {
      const real = list.filter((p) => !p.isNan).map((p) => p.value);
      const latest = [...list].sort(
        (a, b) => b.step - a.step || b.timestamp - a.timestamp || b.value - a.value || a.isNan - b.isNan,
      )[0];
      expect(await series(run, key), key).toEqual({
        value: latest.value,
        is_nan: latest.isNan,
        step: latest.step,
        timestamp: latest.timestamp,
        min: Math.min(...real),
        max: Math.max(...real),
        count: list.length,
      });
    }
  });

  it("rejects a changed param with MLflow's message and writes nothing of the batch", async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, { ...empty, params: [{ key: 'lr', value: '0.1', valueType: 'number' }] });
    const attempt = writer.write(run, uuid, {
      params: [
        { key: 'opt', value: 'adam', valueType: 'string' },
        { key: 'lr', value: '0.2', valueType: 'number' },
      ],
      metrics: [point('x', 1, 0)],
      tags: [{ key: 't', value: 'v' }],
    });
    await expect(attempt).rejects.toThrow(
      `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${uuid}'. Attempted logging new value '0.2'.`,
    );
    expect(await series(run, 'x')).toBeUndefined();
    const params = await store.db
      .selectFrom('params')
      .select(['key', 'value', 'value_type'])
      .where('run_id', '=', run)
      .orderBy('key')
      .execute();
    expect(params).toEqual([{ key: 'lr', value: '0.1', value_type: 'number' }]);
    expect(
      await store.db.selectFrom('run_tags').select('key').where('run_id', '=', run).where('key', '=', 't').execute(),
    ).toEqual([]);
    // The same value again is fine; so is a key repeated with one value inside a batch.
    await writer.write(run, uuid, {
      ...empty,
      params: [
        { key: 'lr', value: '0.1', valueType: 'number' },
        { key: 'bs', value: '32', valueType: 'number' },
        { key: 'bs', value: '32', valueType: 'number' },
      ],
    });
    await expect(
      writer.write(run, uuid, {
        ...empty,
        params: [
          { key: 'seed', value: '1', valueType: 'number' },
          { key: 'seed', value: '2', valueType: 'number' },
        ],
      }),
    ).rejects.toThrow("Param with key='seed' was already logged with value='1'");
  });

  it('upserts tags (the last value of a key wins) and keeps the run name in step with mlflow.runName', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, {
      ...empty,
      tags: [
        { key: 'env', value: 'dev' },
        { key: 'mlflow.runName', value: 'first' },
        { key: 'env', value: 'prod' },
      ],
    });
    await writer.write(run, uuid, { ...empty, tags: [{ key: 'mlflow.runName', value: 'second' }] });
    const tags = await store.db
      .selectFrom('run_tags')
      .select(['key', 'value'])
      .where('run_id', '=', run)
      .orderBy('key')
      .execute();
    expect(tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'mlflow.runName', value: 'second' },
    ]);
    expect(
      (await store.db.selectFrom('runs').select('name').where('id', '=', run).executeTakeFirstOrThrow()).name,
    ).toBe('second');
  });

  it('records metrics logged with a model id for the logged model too', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, {
      ...empty,
      metrics: [
        point('auc', 0.8, 2, 3, { modelId: 'm-1', datasetName: 'eval', datasetDigest: 'd1' }),
        point('auc', 0.7, 1, 3),
      ],
    });
    const rows = await store.db.selectFrom('logged_model_metrics').selectAll().where('model_id', '=', 'm-1').execute();
    expect(rows).toEqual([
      {
        model_id: 'm-1',
        key: 'auc',
        value: 0.8,
        is_nan: 0,
        timestamp: 3,
        step: 2,
        run_id: uuid,
        dataset_name: 'eval',
        dataset_digest: 'd1',
      },
    ]);
    expect((await history(run, 'auc')).map((p) => p.model_id)).toEqual([null, 'm-1']);
  });

  it('keeps int64 steps and timestamps exactly, up to 2^63-1', async () => {
    const [run, uuid] = freshRun();
    const max = 2n ** 63n - 1n;
    await writer.write(run, uuid, {
      ...empty,
      metrics: [
        point('big', 1, max, 2n ** 62n + 1n),
        point('big', 2, 2n ** 53n + 1n, 5),
        point('big', 3, -(2n ** 63n), 4),
      ],
    });
    const points = await history(run, 'big');
    expect(points.map((p) => [p.timestamp, p.step])).toEqual([
      [4, -(2n ** 63n)],
      [5, 2n ** 53n + 1n],
      [2n ** 62n + 1n, max],
    ]);
    const id = (await reader.findSeries(run, 'big')) as number;
    expect(await reader.sampleSteps(id, 10)).toEqual([-(2n ** 63n), 2n ** 53n + 1n, max]);
    expect((await reader.atSteps(id, [max])).map((p) => p.value)).toEqual([1]);
    const after = await reader.page(id, 5, { timestamp: 5n, step: 2n ** 53n + 1n, isNan: 0, value: 2 });
    expect(after.map((p) => p.step)).toEqual([max]);
  });

  it('pages history by keyset and samples steps evenly, seeking the step index', async () => {
    const [run, uuid] = freshRun();
    const metrics = Array.from({ length: 1000 }, (_, i) => point('curve', i % 7, i * 10, 1000 - (i % 50)));
    await writer.write(run, uuid, { ...empty, metrics });
    const id = (await reader.findSeries(run, 'curve')) as number;
    const all = await reader.page(id, undefined, undefined);
    expect(all).toHaveLength(1000);
    const paged: StoredPoint[] = [];
    let after: StoredPoint | undefined;
    for (;;) {
      const page = await reader.page(
        id,
        37,
        after && { timestamp: after.timestamp, step: after.step, isNan: after.is_nan, value: after.value },
      );
      paged.push(...page);
      if (page.length < 37) break;
      after = page[page.length - 1];
    }
    expect(paged).toEqual(all);
    expect(await reader.sampleSteps(id, 11)).toEqual(
      [0n, 999n, 1998n, 2997n, 3996n, 4995n, 5994n, 6993n, 7992n, 8991n, 9990n].map((t) =>
        BigInt(Math.ceil(Number(t) / 10) * 10),
      ),
    );
    expect(await reader.sampleSteps(id, 3, 100n, 135n)).toEqual([100n, 120n]);
    expect(await reader.sampleSteps(id, 5, 20000n, 30000n)).toEqual([]);
    const at = await reader.atSteps(id, [30n, 10n]);
    expect(at.map((p) => p.step)).toEqual([10, 30]);
  });

  it('loses no update when writers race on the same series', async () => {
    const [run, uuid] = freshRun();
    // 8 writers, 20 batches each; batches overlap (every point is sent by two writers).
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let b = 0; b < 20; b++) {
        const base = ((w >> 1) * 20 + b) * 10;
        const metrics = Array.from({ length: 10 }, (_, i) => point(i % 2 ? 'a' : 'b', base + i, base + i, 7));
        await writer.write(run, uuid, {
          params: [{ key: 'shared', value: 'same', valueType: 'string' }],
          metrics,
          tags: [{ key: `w${w}`, value: String(b) }],
        });
      }
    });
    await Promise.all(writers);
    // 4 distinct writer pairs × 20 batches × 10 points, half per key.
    expect(await series(run, 'a')).toEqual({
      value: 799,
      is_nan: 0,
      step: 799,
      timestamp: 7,
      min: 1,
      max: 799,
      count: 400,
    });
    expect(await series(run, 'b')).toEqual({
      value: 798,
      is_nan: 0,
      step: 798,
      timestamp: 7,
      min: 0,
      max: 798,
      count: 400,
    });
    expect(await history(run, 'a')).toHaveLength(400);
  });

  it('of concurrent writes, a failing one rolls back only itself', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, { ...empty, params: [{ key: 'fixed', value: 'a', valueType: 'string' }] });
    // Issued together: they queue for the connection (SQLite) or run side by side (PostgreSQL).
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        writer.write(run, uuid, {
          params:
            i === 5
              ? [{ key: 'fixed', value: 'b', valueType: 'string' }]
              : [{ key: `p${i}`, value: String(i), valueType: 'string' }],
          metrics: [point('g', i, i, 1000 + i)],
          tags: [{ key: `t${i}`, value: 'x' }],
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 12 }, (_, i) => (i === 5 ? 'rejected' : 'fulfilled')),
    );
    expect(String((results[5] as PromiseRejectedResult).reason)).toContain(
      "Param with key='fixed' was already logged with value='a'",
    );
    expect((await history(run, 'g')).map((p) => p.value)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    const tags = await store.db
      .selectFrom('run_tags')
      .select('key')
      .where('run_id', '=', run)
      .where('key', 'like', 't%')
      .execute();
    expect(tags.map((t) => t.key).sort()).toEqual(['t0', 't1', 't10', 't11', 't2', 't3', 't4', 't6', 't7', 't8', 't9']);
    expect(await series(run, 'g')).toMatchObject({ count: 11, max: 11 });
  });

  it('creates a series again when its row is gone behind the writer (purged as gc purges a run)', async () => {
    const [run, uuid] = freshRun();
    const logged = (from: number) => [0, 1, 2].map((i) => point('loss', from + i, from + i, 1000 + from + i));
    await writer.write(run, uuid, { ...empty, metrics: logged(0) });
    await writer.write(run, uuid, { ...empty, metrics: logged(3) });
    expect(await series(run, 'loss')).toMatchObject({ count: 6, value: 5 });
    const ids = (await store.db.selectFrom('metric_series').select('id').where('run_id', '=', run).execute()).map(
      (r) => r.id,
    );
    await store.db.deleteFrom('metric_chunks').where('series_id', 'in', ids).execute();
    await store.db.deleteFrom('metric_points').where('series_id', 'in', ids).execute();
    await store.db.deleteFrom('metric_series').where('run_id', '=', run).execute();
    // A series the writer has seen and one it has not, in one batch.
    await writer.write(run, uuid, { ...empty, metrics: [...logged(10), point('acc', 0.5, 10, 2000)] });
    expect(await series(run, 'loss')).toMatchObject({ count: 3, value: 12, step: 12, min: 10, max: 12 });
    expect((await history(run, 'loss')).map((p) => p.value)).toEqual([10, 11, 12]);
    expect(await series(run, 'acc')).toMatchObject({ count: 1, value: 0.5 });
  });

  it('a rejected batch leaves no series behind, and the next batch of its keys creates them', async () => {
    const [run, uuid] = freshRun();
    await writer.write(run, uuid, { ...empty, params: [{ key: 'lr', value: '1', valueType: 'string' }] });
    await expect(
      writer.write(run, uuid, {
        ...empty,
        params: [{ key: 'lr', value: '2', valueType: 'string' }],
        metrics: [point('fresh', 1, 0, 1)],
      }),
    ).rejects.toThrow("Param with key='lr' was already logged with value='1'");
    expect(await series(run, 'fresh')).toBeUndefined();
    await writer.write(run, uuid, { ...empty, metrics: [point('fresh', 2, 1, 2)] });
    await writer.write(run, uuid, { ...empty, metrics: [point('fresh', 3, 2, 3)] });
    expect(await series(run, 'fresh')).toMatchObject({ count: 2, value: 3, min: 2, max: 3 });
  });
});
