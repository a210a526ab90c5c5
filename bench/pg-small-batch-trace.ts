/**
 * `npx tsx bench/pg-small-batch-trace.ts [n] [--log] [--prof]`: n small log-batches (10 metrics +
 * 2 params, as the small-log-batch bench) against a Trove server on a fresh PostgreSQL database,
 * one after another; prints p50/p95. `--log` sets `log_min_duration_statement = 0` on that database
 * so PostgreSQL's log (here /var/log/postgresql/postgresql-15-main.log) shows each statement's
 * parse, bind and execute time per request; `--prof` writes the server's CPU profile to
 * /tmp/pgprof (read it with bench/profile-summary.ts). A diagnostic, not a benchmark.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { smallBody } from './benchmarks/small-log-batch.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { startTroveServer } from './lib/server.ts';

const admin = 'postgresql://postgres@127.0.0.1:5432/test';
const db = await createBenchDatabase(admin, 'lead');
const logStatements = process.argv.includes('--log');
if (logStatements) {
  const c = new pg.Client(admin);
  await c.connect();
  await c.query(`ALTER DATABASE "${db.name}" SET log_min_duration_statement = 0`);
  await c.end();
}
const prof = process.argv.includes('--prof');
const server = await startTroveServer({
  dataDir: mkdtempSync(join(tmpdir(), 'pgs-')),
  backendStoreUri: db.uri,
  nodeArgs: prof ? ['--cpu-prof', '--cpu-prof-dir=/tmp/pgprof'] : [],
});
const client = createClient('node:http', server.url);
const exp = (await callJson(client, 'POST', `${API}/experiments/create`, { name: 'x' })).experiment_id;
const runId = (await callJson(client, 'POST', `${API}/runs/create`, { experiment_id: exp, start_time: Date.now() })).run
  .info.run_id;
const base = Date.UTC(2025, 0, 1);
const n = Number(process.argv[2] ?? 300);
const t: number[] = [];
for (let i = 0; i < n; i++) {
  const s = performance.now();
  const r = await client.request('POST', `${API}/runs/log-batch`, smallBody(runId, i, base));
  if (r.status !== 200) throw new Error(r.body);
  t.push(performance.now() - s);
}
t.sort((a, b) => a - b);
console.log(`db ${db.name} p50 ${t[Math.floor(n / 2)].toFixed(2)} p95 ${t[Math.floor(n * 0.95)].toFixed(2)}`);
await server.stop();
await dropBenchDatabase(admin, db.name);
