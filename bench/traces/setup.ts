import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '@trove/store';
import { API, callJson, createClient, createRuns } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { startTroveServer } from '../lib/server.ts';
import { fmtMs } from '../lib/stats.ts';
import { type SeededTraces, seedTraces, type TraceSeedExperiment } from './seed.ts';

export interface TraceData {
  experiments: TraceSeedExperiment[];
  seed: SeededTraces;
}

/** 3 experiments holding 60/30/10% of the traces, with 60/30/10 runs. */
const SHAPE = [
  { name: 'bench-traces-a', share: 0.6, runs: 60 },
  { name: 'bench-traces-b', share: 0.3, runs: 30 },
  { name: 'bench-traces-c', share: 0.1, runs: 10 },
];

/**
 * The data directory's seeded traces: made once (a first server creates the schema, the
 * experiments and runs, then stops; the traces go in through the store), reused when `dataDir`
 * already holds them (`--data`), so index work can be measured without seeding again.
 */
export async function prepareTraceData(
  dataDir: string,
  traces: number,
  storeUri = join(dataDir, 'trove.db'),
): Promise<TraceData> {
  const manifest = join(dataDir, 'traces-seed.json');
  if (existsSync(manifest)) {
    const data = JSON.parse(readFileSync(manifest, 'utf8')) as TraceData;
    if (data.seed.traces !== traces) throw new Error(`${dataDir} holds ${data.seed.traces} traces, not ${traces}`);
    log(`reusing ${traces} seeded traces in ${dataDir}`);
    // Seeded by an older tree: its new migrations run here, not in the measured server's start.
    const t0 = performance.now();
    await (await openStore(storeUri)).close();
    log(`schema brought up to date in ${fmtMs(performance.now() - t0)}`);
    return data;
  }
  const setup = await startTroveServer({ dataDir, backendStoreUri: storeUri });
  const client = createClient('node:http', setup.url);
  const experiments: TraceSeedExperiment[] = [];
  try {
    for (const s of SHAPE) {
      const { experiment_id } = await callJson(client, 'POST', `${API}/experiments/create`, { name: s.name });
      const { experiment } = await callJson(client, 'GET', `${API}/experiments/get?experiment_id=${experiment_id}`);
      experiments.push({
        id: Number(experiment_id),
        share: s.share,
        artifactRoot: String(experiment.artifact_location).replace(/\/+$/, ''),
        runs: await createRuns(client, experiment_id, s.runs, s.name),
      });
    }
  } finally {
    await client.close();
    await setup.stop();
  }
  const store = await openStore(storeUri);
  let seed: SeededTraces;
  try {
    seed = await seedTraces(store, experiments, traces);
    // PostgreSQL plans from statistics, which autovacuum gathers on a live database soon after a
    // load like this one; SQLite gathers none, as in production.
    if (store.pg) await store.pg.query('VACUUM ANALYZE');
  } finally {
    await store.close();
  }
  log(`seeded ${traces} traces (6 tags, 4–5 metadata each) in ${fmtMs(seed.ms)} through the store's repository`);
  const data = { experiments, seed };
  writeFileSync(manifest, JSON.stringify(data));
  return data;
}
