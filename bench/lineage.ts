/**
 * `npm run bench:lineage`: `GET /api/trove/v1/lineage` over a store of 100k runs (sweeps of 50,
 * datasets, logged models, registered versions, deployments, consumer runs; bench/lineage/seed.ts),
 * walks from a dataset, a run and a model version at depth 3 and 6, each printed beside the HTTP
 * round trip measured in the same run (a bare node:http server; the same Trove server's /health).
 * See docs/benchmarks.md, "Lineage".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_OPTIONS, exitOnHelp, startBench } from './lib/bench-cli.ts';
import { API, callJson, createClient, expectOk, type HttpClient } from './lib/client.ts';
import { formatLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { log } from './lib/report.ts';
import { killAllChildren, REPO_ROOT, startEchoServer, startTroveServer } from './lib/server.ts';
import { fmtMs, measureLatency, type Summary, summarize } from './lib/stats.ts';
import { seedLineageStore, seedRegistry } from './lineage/seed.ts';

const USAGE = `usage: npm run bench:lineage -- [options]
  --runs <n>        runs seeded (default 100000)
  --n <n>           timed requests per walk (default 40)
  --backend sqlite|postgres  the metadata store (default sqlite); postgres creates a database
                    trove_bench_<random> through --pg-admin-uri and drops it at the end
  --pg-admin-uri <uri>  (default $TROVE_BENCH_PG_URI or postgresql://postgres@127.0.0.1:5432/test)
  --timeout <s>     stop everything after this many seconds (default 1800)`;

const { values: a } = parseArgs({
  options: {
    ...BENCH_OPTIONS,
    runs: { type: 'string', default: '100000' },
    n: { type: 'string', default: '40' },
  },
});
exitOnHelp(a, USAGE);
const runs = Number(a.runs.replaceAll('_', ''));
const n = Number(a.n);

interface WalkResult {
  walk: string;
  nodes: number;
  edges: number;
  truncated: boolean;
  latency: Summary;
}

const fmt = (s: Summary) => `p50 ${fmtMs(s.p50)}, p95 ${fmtMs(s.p95)}`;

async function latency(client: HttpClient, path: string): Promise<Summary> {
  const m = await measureLatency(async () => expectOk(await client.request('GET', path), path), {
    warmup: Math.min(20, n),
    n,
    budgetMs: 60_000,
  });
  return summarize(m.samples);
}

async function main(): Promise<void> {
  const { machine, command } = startBench('lineage', Number(a.timeout));
  const watch = startLoadWatch();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-lineage-'));
  const pgDb = a.backend === 'postgres' ? await createBenchDatabase(a['pg-admin-uri']) : undefined;
  const storeUri = pgDb?.uri ?? join(dataDir, 'trove.db');
  const echo = await startEchoServer();
  const walks: WalkResult[] = [];
  const limits: Record<string, Summary> = {};
  try {
    // A first server makes the schema and the experiments; the runs go into the store directly.
    const setup = await startTroveServer({ dataDir, backendStoreUri: storeUri });
    const setupClient = createClient('node:http', setup.url);
    const experiment = async (name: string) =>
      Number((await callJson(setupClient, 'POST', `${API}/experiments/create`, { name })).experiment_id);
    const experimentId = await experiment('bench-lineage');
    const consumerExperimentId = await experiment('bench-lineage-consumers');
    await setupClient.close();
    await setup.stop();
    const t0 = performance.now();
    const seeded = await seedLineageStore(storeUri, experimentId, consumerExperimentId, runs);
    log(`seeded ${runs} runs (${seeded.sweeps.length} sweeps of 50) in ${fmtMs(performance.now() - t0)}`);

    const server = await startTroveServer({ dataDir, backendStoreUri: storeUri });
    const client = createClient('node:http', server.url);
    try {
      const t1 = performance.now();
      const versions = await seedRegistry(client, seeded.sweeps);
      log(`registered ${versions.length} versions with deployments in ${fmtMs(performance.now() - t1)}\n`);
      const echoClient = createClient('node:http', echo.url);
      limits.echo = await latency(echoClient, '/');
      await echoClient.close();
      limits.health = await latency(client, '/health');
      log(`HTTP round trip, bare node:http server:  ${fmt(limits.echo)}`);
      log(`HTTP round trip, the Trove server's /health: ${fmt(limits.health)}\n`);

      const target = versions[Math.floor(versions.length / 2)];
      const sweep = seeded.sweeps[target.sweep];
      const dataset = await callJson(
        client,
        'GET',
        `/api/trove/v1/lineage?node=${encodeURIComponent(`run:${sweep.parent}`)}&direction=up&depth=1`,
      );
      const datasetId = dataset.nodes.find((x: { type: string }) => x.type === 'dataset').id as string;
      const starts: [string, string, string][] = [
        ['dataset', datasetId, 'down'],
        ['run (the model-producing trial)', `run:${sweep.producer}`, 'both'],
        ['model version', `model_version:${target.name}/${target.version}`, 'both'],
      ];
      for (const [what, node, direction] of starts)
        for (const depth of [3, 6]) {
          const path = `/api/trove/v1/lineage?node=${encodeURIComponent(node)}&direction=${direction}&depth=${depth}`;
          const graph = await callJson(client, 'GET', path);
          const r: WalkResult = {
            walk: `${what}, ${direction}, depth ${depth}`,
            nodes: graph.nodes.length,
            edges: graph.edges.length,
            truncated: graph.truncated,
            latency: await latency(client, path),
          };
          walks.push(r);
          log(
            `${r.walk.padEnd(48)} ${String(r.nodes).padStart(4)} nodes ${String(r.edges).padStart(4)} edges${r.truncated ? ' (truncated)' : ''}: ${fmt(r.latency)}`,
          );
        }
    } finally {
      await client.close();
      await server.stop();
    }
  } finally {
    await echo.stop();
    if (pgDb) await dropBenchDatabase(a['pg-admin-uri'], pgDb.name);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const load = watch();
  log(`\n${formatLoad(load)}`);
  const out = join(REPO_ROOT, `bench/results/latest-lineage${a.backend === 'postgres' ? '-postgres' : ''}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ machine, command, backend: a.backend, runs, startedAt: new Date().toISOString(), limits, walks, load }, null, 2)}\n`,
  );
  log(`results written to ${out}`);
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
