import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/backend.ts';
import {
  deleteExperimentKeys,
  listExperimentKeys,
  rebuildExperimentKeys,
  registerExperimentKeys,
} from '../src/experiment-keys.ts';
import { type MetricPoint, storedValue } from '../src/metrics/metric-point.ts';
import { migrate } from '../src/migrator.ts';
import { createRunDataWriter, type RunDataWriter } from '../src/run-data-writer.ts';
import type { Store } from '../src/store.ts';
import { seedExperiment, seedRuns, seedWorkspace, uuidFor } from './search/seed.ts';

// The per-experiment key registry: filled by the ingest writer of each dialect, backfilled by
// migration 0009 from rows written before it, rebuilt on demand.
let store: Store;
let writer: RunDataWriter;

function point(key: string, step: number): MetricPoint {
  return {
    key,
    ...storedValue(step / 10),
    step,
    timestamp: step,
    modelId: null,
    datasetName: null,
    datasetDigest: null,
  };
}

const empty = { params: [], metrics: [], tags: [] };
const keysOf = (experimentId: number) => listExperimentKeys(store.db, experimentId);

/** Runs (one per entry, in experiment `experiment`) as [runs.id, run_uuid]. */
async function runsIn(experiment: number, count: number, firstIndex: number): Promise<[number, string][]> {
  const ids = await seedRuns(
    store,
    Array.from({ length: count }, (_, i) => ({ name: `e${experiment}r${i}`, start: i, experiment })),
    firstIndex,
  );
  return [...ids.keys()].map((id, i) => [id, uuidFor(firstIndex + i)]);
}

beforeEach(async () => {
  store = await openTestStore();
  await seedWorkspace(store);
  await seedExperiment(store, 1);
  await seedExperiment(store, 2);
  writer = createRunDataWriter(store);
});

afterEach(() => store.close());

describe(`experiment key registry (${process.env.TROVE_TEST_BACKEND ?? 'sqlite'})`, () => {
  it('the ingest writer registers new params, new metric series and tags, per experiment, once each', async () => {
    const [[a, aId], [b, bId]] = await runsIn(1, 2, 1);
    const [[c, cId]] = await runsIn(2, 1, 10);
    await writer.write(a, aId, {
      params: [{ key: 'lr', value: '0.1', valueType: 'string' }],
      metrics: [point('loss', 1), point('loss', 2)],
      tags: [{ key: 'team', value: 'x' }],
    });
    await writer.write(a, aId, { ...empty, metrics: [point('loss', 3), point('acc', 3)] });
    await writer.write(b, bId, {
      params: [{ key: 'optimizer/adam/beta1', value: '0.9', valueType: 'number' }],
      metrics: [point('loss', 1)],
      tags: [{ key: 'mlflow.note', value: 'n' }],
    });
    await writer.write(c, cId, { params: [{ key: 'rare', value: 'y', valueType: 'string' }], metrics: [], tags: [] });
    expect(await keysOf(1)).toEqual({
      params: ['lr', 'optimizer/adam/beta1'],
      metrics: ['acc', 'loss'],
      tags: ['mlflow.note', 'team'],
    });
    expect(await keysOf(2)).toEqual({ params: ['rare'], metrics: [], tags: [] });
    expect(await keysOf(3)).toEqual({ params: [], metrics: [], tags: [] });
  });

  it('a rejected batch registers nothing', async () => {
    const [[a, aId]] = await runsIn(1, 1, 1);
    await writer.write(a, aId, { ...empty, params: [{ key: 'lr', value: '0.1', valueType: 'string' }] });
    const conflicting = {
      params: [{ key: 'lr', value: '0.2', valueType: 'string' }],
      metrics: [point('never', 1)],
      tags: [{ key: 'never', value: 'x' }],
    };
    await expect(writer.write(a, aId, conflicting)).rejects.toThrow(/Changing param values is not allowed/);
    expect(await keysOf(1)).toEqual({ params: ['lr'], metrics: [], tags: [] });
  });

  it('registering keeps one row per key and lists each kind in byte order', async () => {
    const keys = ['b', 'B', 'a/z', 'a', 'é'].map((key) => ({ experimentId: 1, kind: 'param' as const, key }));
    await registerExperimentKeys(store.db, keys);
    await registerExperimentKeys(store.db, [
      ...keys,
      { experimentId: 1, kind: 'tag', key: 'b' },
      { experimentId: 2, kind: 'metric', key: 'm' },
    ]);
    expect(await keysOf(1)).toEqual({ params: ['B', 'a', 'a/z', 'b', 'é'], metrics: [], tags: ['b'] });
    expect(await keysOf(2)).toEqual({ params: [], metrics: ['m'], tags: [] });
    await deleteExperimentKeys(store.db, 1);
    expect(await keysOf(1)).toEqual({ params: [], metrics: [], tags: [] });
  });

  it('migration 0009 fills the registry from rows written before it', async () => {
    await seedRuns(
      store,
      [
        {
          name: 'a',
          start: 1,
          experiment: 1,
          params: { lr: '1', depth: '2' },
          tags: { team: 'x' },
          metrics: { loss: 1 },
        },
        {
          name: 'b',
          start: 2,
          experiment: 1,
          params: { lr: '2' },
          tags: { owner: 'y' },
          metrics: { loss: 2, acc: 3 },
          deleted: true,
        },
        { name: 'c', start: 3, experiment: 2, params: { rare: '1' } },
      ],
      1,
    );
    // The database as the previous release left it: no registry, 0009 not applied.
    await sql`DROP TABLE experiment_keys`.execute(store.db);
    await sql`DELETE FROM trove_migrations WHERE id = '0009_experiment_keys'`.execute(store.db);
    expect(await migrate(store.db as never)).toEqual(['0009_experiment_keys']);
    // The seeded runs carry `mlflow.runName` as well, as every run does.
    expect(await keysOf(1)).toEqual({
      params: ['depth', 'lr'],
      metrics: ['acc', 'loss'],
      tags: ['mlflow.runName', 'owner', 'team'],
    });
    expect(await keysOf(2)).toEqual({ params: ['rare'], metrics: [], tags: ['mlflow.runName'] });
  });

  it('a rebuild adds the keys written without registering them (a previous-release replica) and nothing twice', async () => {
    const [[a, aId]] = await runsIn(1, 1, 1);
    await writer.write(a, aId, {
      params: [{ key: 'lr', value: '1', valueType: 'string' }],
      metrics: [point('loss', 1)],
      tags: [],
    });
    await seedRuns(
      store,
      [{ name: 'old', start: 9, experiment: 2, params: { lr: '3' }, tags: { t: 'v' }, metrics: { loss: 1 } }],
      20,
    );
    expect(await keysOf(2)).toEqual({ params: [], metrics: [], tags: [] });
    // Seeded rows bypass the writer, so both runs' `mlflow.runName` tags come back too.
    expect(await rebuildExperimentKeys(store.db)).toBe(5);
    expect(await keysOf(2)).toEqual({ params: ['lr'], metrics: ['loss'], tags: ['mlflow.runName', 't'] });
    expect(await keysOf(1)).toEqual({ params: ['lr'], metrics: ['loss'], tags: ['mlflow.runName'] });
    expect(await rebuildExperimentKeys(store.db)).toBe(0);
  });
});
