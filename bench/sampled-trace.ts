/**
 * `npx tsx bench/sampled-trace.ts [points] [--keep name]`: where the time of a sampled-320 read
 * (get-history-bulk-interval, max_results=320) goes on PostgreSQL: a `points`-point series seeded
 * as the history bench seeds it, then 30 timed HTTP requests and the same read's steps timed
 * in-process (run lookup, step pieces, step choice, points at the steps). A diagnostic, not a benchmark.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricReader, openStore } from '@trove/store';
import pg from 'pg';
import { mlflowSampledStepsOf } from '../packages/server/src/services/mlflow-step-sampling.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { createBenchDatabase, dropBenchDatabase, seedSeriesPg } from './lib/postgres.ts';
import { startTroveServer } from './lib/server.ts';

const admin = 'postgresql://postgres@127.0.0.1:5432/test';
const points = Number(process.argv[2]?.startsWith('--') ? 1_000_000 : (process.argv[2] ?? 1_000_000));
const db = await createBenchDatabase(admin, 'sampled_');
const server = await startTroveServer({ dataDir: mkdtempSync(join(tmpdir(), 'smp-')), backendStoreUri: db.uri });
const client = createClient('node:http', server.url);
let seriesIdOf = 0;
try {
  const exp = (await callJson(client, 'POST', `${API}/experiments/create`, { name: 'x' })).experiment_id;
  const runId = (await callJson(client, 'POST', `${API}/runs/create`, { experiment_id: exp, start_time: Date.now() }))
    .run.info.run_id;
  const { seriesId } = await seedSeriesPg(db.uri, runId, 'loss', points);
  seriesIdOf = seriesId;
  const path = `${API}/metrics/get-history-bulk-interval?run_ids=${runId}&metric_key=loss&max_results=320`;
  const time = async (n: number, f: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await f();
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b);
    return t[Math.floor(n / 2)].toFixed(2);
  };
  for (let i = 0; i < 5; i++) await client.request('GET', path);
  console.log(`HTTP sampled-320 on ${points} points: p50 ${await time(30, () => client.request('GET', path))} ms`);
  const store = await openStore(db.uri, { poolSize: 2 });
  const reader = createMetricReader(store);
  const pieces = await reader.stepPieces(seriesId);
  const steps = await mlflowSampledStepsOf(pieces ? [pieces] : [], 320, undefined, (p) => reader.pieceSteps(p));
  console.log(`in-process p50 of 30 (ms): stepPieces ${await time(30, () => reader.stepPieces(seriesId))}`);
  console.log(
    `  step choice ${await time(30, () => mlflowSampledStepsOf(pieces ? [pieces] : [], 320, undefined, (p) => reader.pieceSteps(p)))}`,
  );
  console.log(`  atSteps (${steps.length} steps) ${await time(30, () => reader.atSteps(seriesId, steps))}`);
  console.log(`  findSeries ${await time(30, () => reader.findSeries(1, 'loss'))}`);
  const c = new pg.Client(db.uri);
  await c.connect();
  const storage = await c.query(
    'SELECT pg_column_compression(data) AS method, count(*) AS chunks, avg(pg_column_size(data))::int AS stored, avg(length(data))::int AS bytes FROM metric_chunks WHERE series_id = $1 GROUP BY 1',
    [seriesId],
  );
  console.log('chunk storage:', JSON.stringify(storage.rows));
  const targets = steps.map(String);
  const seqs = (
    await c.query(
      `SELECT t.target, f.seq FROM unnest($2::int8[]) AS t(target)
       CROSS JOIN LATERAL (SELECT seq FROM metric_chunks WHERE series_id = $1 AND last_step >= t.target ORDER BY last_step, seq LIMIT 1) f`,
      [seriesId, targets],
    )
  ).rows.map((r) => r.seq);
  const q = (text: string, values: unknown[]) => time(20, () => c.query(text, values));
  console.log(
    `  lateral seek ${await q(
      `SELECT t.target, f.seq FROM unnest($2::int8[]) AS t(target)
       CROSS JOIN LATERAL (SELECT seq FROM metric_chunks WHERE series_id = $1 AND last_step >= t.target ORDER BY last_step, seq LIMIT 1) f`,
      [seriesId, targets],
    )}`,
  );
  const bySeq = (cols: string) =>
    q(`SELECT ${cols} FROM metric_chunks WHERE series_id = $1 AND seq = ANY($2::int8[])`, [seriesId, seqs]);
  console.log(
    `  blobs: data ${await bySeq('seq, point_count, data')}, md5(data) ${await bySeq('seq, md5(data)')}, substring 8 bytes ${await bySeq('seq, substring(data from 9 for 8)')}, seq only ${await bySeq('seq')}`,
  );
  await c.end();
  await store.close();
} finally {
  await client.close();
  await server.stop();
  if (process.argv.includes('--keep')) console.log(`kept database ${db.name} (series ${seriesIdOf})`);
  else await dropBenchDatabase(admin, db.name);
}
