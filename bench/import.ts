/**
 * `npm run bench:import`: `trove import mlflow` throughput (runs/s, metric points/s, artifact MB/s)
 * from a live MLflow 2.17 server (REST) and from its database, each beside the source's own read
 * rate measured in the same run: the same reader walking everything without writing. Needs the
 * MLflow harness (../shared/mlflow-harness; `--harness /tmp/mlflow-harness`); the target is a fresh
 * Trove database per import: SQLite, or with `--backend postgres` a database trove_bench_import_<random>
 * created through `--pg-admin-uri` and dropped after (`--backend sqlite,postgres`: both, on the same source). See docs/benchmarks.md, "Import from MLflow".
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportSource } from '../packages/cli/src/import/import-source.ts';
import { runImport } from '../packages/cli/src/import/importer.ts';
import { openMlflowDbSource } from '../packages/cli/src/import/mlflow-db-source.ts';
import { openMlflowRestSource } from '../packages/cli/src/import/mlflow-rest-source.ts';
import { openTroveTarget } from '../packages/cli/src/import/trove-target.ts';
import { createBenchDatabase, dropBenchDatabase, pgVersion } from './lib/postgres.ts';

const { values: a } = parseArgs({
  options: {
    harness: { type: 'string', default: '/tmp/mlflow-harness' },
    runs: { type: 'string', default: '100' },
    keys: { type: 'string', default: '4' },
    steps: { type: 'string', default: '500' },
    'artifact-kb': { type: 'string', default: '1024' },
    port: { type: 'string', default: '5393' },
    backend: { type: 'string', default: 'sqlite' },
    'pg-admin-uri': {
      type: 'string',
      default: process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test',
    },
  },
});
type Backend = 'sqlite' | 'postgres';
const backends = a.backend.split(',') as Backend[];
if (backends.some((b) => b !== 'sqlite' && b !== 'postgres'))
  throw new Error('--backend is sqlite, postgres or both (sqlite,postgres)');

const python = join(a.harness, 'venv/bin/python');

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer`);
}

/** Reads everything a source holds, as the importer does, writing nothing. */
async function readAll(source: ImportSource): Promise<{ runs: number; points: number; bytes: number }> {
  let runs = 0;
  let points = 0;
  let bytes = 0;
  for (const e of await source.experiments())
    for await (const run of source.runs(e.experiment_id)) {
      runs++;
      for await (const page of source.metrics(run)) points += page.length;
      for await (const f of source.artifacts(run))
        for await (const c of await source.openArtifact(run, f.path)) bytes += (c as Buffer).length;
    }
  await source.models();
  return { runs, points, bytes };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function rates(what: string, n: { runs: number; points: number; bytes: number }, seconds: number): string {
  return `${what.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s  ${(n.runs / seconds).toFixed(1).padStart(7)} runs/s  ${Math.round(
    n.points / seconds,
  )
    .toLocaleString('en')
    .padStart(10)} points/s  ${(n.bytes / 1e6 / seconds).toFixed(1).padStart(6)} MB/s`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, (performance.now() - t0) / 1000];
}

/** Imports into a fresh Trove: a SQLite file in `dir`, or a PostgreSQL database of its own (dropped after). */
async function importInto(backend: Backend, dir: string, open: () => Promise<ImportSource>) {
  mkdirSync(dir);
  const pgDb = backend === 'postgres' ? await createBenchDatabase(a['pg-admin-uri'], 'import_') : undefined;
  try {
    const target = await openTroveTarget({
      backendStoreUri: pgDb?.uri ?? join(dir, 'trove.db'),
      artifactsDestination: join(dir, 'artifacts'),
    });
    const source = await open();
    try {
      return await runImport(source, target, { checkpoint: join(dir, 'checkpoint.jsonl') });
    } finally {
      await source.close();
      await target.close();
    }
  } finally {
    if (pgDb) await dropBenchDatabase(a['pg-admin-uri'], pgDb.name);
  }
}

async function main(): Promise<void> {
  if (!existsSync(python)) {
    console.log(`no MLflow harness at ${a.harness} (../shared/mlflow-harness/README.md): nothing to measure`);
    return;
  }
  const work = mkdtempSync(join(os.tmpdir(), 'trove-import-bench-'));
  const dbPath = join(work, 'mlflow.db');
  const artifacts = join(work, 'mlflow-artifacts');
  const url = `http://127.0.0.1:${a.port}`;
  let server: ChildProcess | undefined;
  try {
    server = spawn(
      python,
      [
        '-m',
        'mlflow',
        'server',
        '--host',
        '127.0.0.1',
        '--port',
        a.port,
        '--workers',
        '1',
        '--backend-store-uri',
        `sqlite:///${dbPath}`,
        '--artifacts-destination',
        artifacts,
      ],
      { detached: true, stdio: 'ignore' },
    );
    await waitFor(`${url}/health`);
    console.log(`host: ${os.cpus().length} × ${os.cpus()[0]?.model}, load ${load()}`);
    if (backends.includes('postgres')) console.log(`PostgreSQL target: ${await pgVersion(a['pg-admin-uri'])}`);
    const [, seedSecs] = await timed(async () =>
      execFileSync(
        python,
        [join(import.meta.dirname, 'import/mlflow_bench_workload.py'), a.runs, a.keys, a.steps, a['artifact-kb'], work],
        {
          env: { ...process.env, MLFLOW_TRACKING_URI: url },
          stdio: 'inherit',
        },
      ),
    );
    console.log(
      `source: ${a.runs} runs × ${a.keys} keys × ${a.steps} steps, ${a['artifact-kb']} KB artifact each; logged through MLflow in ${seedSecs.toFixed(0)} s`,
    );

    const [restRead, restReadSecs] = await timed(async () => readAll(await openMlflowRestSource(url)));
    console.log(rates('MLflow REST read (no writes)', restRead, restReadSecs), `load ${load()}`);
    const [dbRead, dbReadSecs] = await timed(async () =>
      readAll(await openMlflowDbSource(`sqlite:///${dbPath}`, artifacts)),
    );
    console.log(rates('MLflow database read (no writes)', dbRead, dbReadSecs), `load ${load()}`);
    const sources: [string, () => Promise<ImportSource>][] = [
      ['--from (REST)', () => openMlflowRestSource(url)],
      ['--from-db (SQLite)', () => openMlflowDbSource(`sqlite:///${dbPath}`, artifacts)],
    ];
    for (const backend of backends)
      for (const [i, [label, open]] of sources.entries()) {
        // The import's own clock (report.seconds): opening and migrating the fresh target is left out.
        const report = await importInto(backend, join(work, `${backend}-${i}`), open);
        const counts = {
          runs: report.importedRuns,
          points: report.target_counts.metricPoints,
          bytes: report.target_counts.artifactBytes,
        };
        console.log(
          rates(`import ${label} → ${backend}, verified`, counts, report.seconds),
          report.ok ? 'ok' : 'NOT VERIFIED',
          `load ${load()}`,
        );
      }
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {}
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
