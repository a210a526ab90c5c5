/**
 * `npx tsx bench/duplicate-resend.ts [store uri]`: 100k points of one series sent through the store's
 * ingest writer (the path `runs/log-batch` takes) in batches of 1000, then the same batches again,
 * exact duplicates that MLflow ignores. Prints both times. Default: a fresh SQLite file; a
 * `postgresql://` URI names an empty database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, parseServerConfig } from '@trove/server';
import { createRunDataWriter, findWorkspaceByName, insertImportedRun, type MetricPoint, openStore } from '@trove/store';

const POINTS = 100_000;
const BATCH = 1000;
const dir = mkdtempSync(join(tmpdir(), 'trove-resend-'));
const uri = process.argv[2] ?? `sqlite:///${join(dir, 'trove.db')}`;
const store = await openStore(uri);
try {
  // Starting the app once creates the default workspace and its Default experiment.
  const config = parseServerConfig({ backendStoreUri: uri, artifactsDestination: join(dir, 'artifacts'), auth: false });
  await (await createApp({ config, store, logger: false })).close();
  const ws = await findWorkspaceByName(store.db, 'default');
  const runId = await insertImportedRun(store.db, {
    runUuid: 'resend',
    experimentId: Number(ws?.default_experiment_id),
    name: 'resend',
    userId: 'bench',
    status: 'RUNNING',
    startTime: 0,
    endTime: null,
    artifactUri: join(dir, 'artifacts'),
    lifecycleStage: 'active',
    deletedTime: null,
  });
  const writer = createRunDataWriter(store);
  const points: MetricPoint[] = Array.from({ length: POINTS }, (_, i) => ({
    key: 'loss',
    value: Math.sin(i),
    isNan: 0,
    timestamp: 1_700_000_000_000 + i,
    step: i,
    modelId: null,
    datasetName: null,
    datasetDigest: null,
  }));
  const send = async () => {
    const started = performance.now();
    for (let i = 0; i < POINTS; i += BATCH)
      await writer.write(runId, 'resend', { params: [], tags: [], metrics: points.slice(i, i + BATCH) });
    return performance.now() - started;
  };
  const first = await send();
  const again = await send();
  console.log(
    `${store.ddl.name}: first send ${first.toFixed(0)} ms, resend ${again.toFixed(0)} ms (×${(again / first).toFixed(1)})`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
