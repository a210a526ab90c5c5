import { openTestStore } from '../../../../test/support/backend.ts';
import { type MetricPoint, storedValue } from '../../src/metrics/metric-point.ts';
import { createMetricReader, type MetricReader } from '../../src/metrics/metric-reader.ts';
import { createRunDataWriter, type RunDataWriter } from '../../src/run-data-writer.ts';
import type { Store } from '../../src/store.ts';
import { seedExperiment, seedRuns, seedWorkspace, uuidFor } from '../search/seed.ts';

/** A metric point as the writer takes it (no model or dataset unless `extra` says so). */
export function point(
  key: string,
  value: number,
  step: number | bigint,
  timestamp: number | bigint = 1,
  extra: Partial<MetricPoint> = {},
): MetricPoint {
  return {
    key,
    ...storedValue(value),
    step,
    timestamp,
    modelId: null,
    datasetName: null,
    datasetDigest: null,
    ...extra,
  };
}

export interface MetricStore {
  store: Store;
  writer: RunDataWriter;
  reader: MetricReader;
  /** A run no test has written to yet: its row id and uuid. */
  freshRun: () => [number, string];
}

/** The test backend's store with one experiment of `runCount` runs named `<prefix><i>`, and its metric writer and reader. */
export async function openMetricStore(runCount: number, prefix: string): Promise<MetricStore> {
  const store = await openTestStore();
  await seedWorkspace(store);
  await seedExperiment(store, 1);
  const names = await seedRuns(
    store,
    Array.from({ length: runCount }, (_, i) => ({ name: `${prefix}${i}`, start: i })),
  );
  const runs = [...names.keys()];
  let next = 0;
  const freshRun = (): [number, string] => {
    const i = next++;
    return [runs[i], uuidFor(i + 1)];
  };
  return { store, writer: createRunDataWriter(store), reader: createMetricReader(store), freshRun };
}
