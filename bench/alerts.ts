/**
 * `npm run bench:alerts`: ingest (bench/benchmarks/ingest.ts: 4 clients, 1000-point log-batch
 * requests) into an experiment with no alert rules and into one with 5 rules that watch the logged
 * keys but never fire (threshold, prefix threshold, nan_inf, no_improvement, run_failed), in
 * alternating rounds on one server, so both see the same machine. See docs/benchmarks.md, "Alerts".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingest } from './benchmarks/ingest.ts';
import { BENCH_OPTIONS, exitOnHelp, startBench } from './lib/bench-cli.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { formatLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { log } from './lib/report.ts';
import { killAllChildren, startTroveServer } from './lib/server.ts';
import { fmtRate } from './lib/stats.ts';

const { values: a } = parseArgs({
  options: {
    ...BENCH_OPTIONS,
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
  },
});
exitOnHelp(
  a,
  `usage: npm run bench:alerts -- [options]
  --rounds <n>      alternating rounds without and with rules (default 3)
  --seconds <s>     ingest time per round (default 5)
  --backend <sqlite|postgres>  (default sqlite)
  --pg-admin-uri <uri>  (default $TROVE_BENCH_PG_URI or postgresql://postgres@127.0.0.1:5432/test)
  --timeout <s>     stop everything after this many seconds (default 1800)`,
);

const RULES = [
  { name: 'loss high', kind: 'threshold', metric_key: 'm0', op: '>', value: 10 },
  { name: 'any high', kind: 'threshold', metric_key: 'm*', op: '>=', value: 10 },
  { name: 'nan', kind: 'nan_inf', metric_key: 'm1' },
  { name: 'plateau', kind: 'no_improvement', metric_key: 'm2', mode: 'min', steps: 1_000_000_000 },
  { name: 'failed', kind: 'run_failed' },
];

async function main(): Promise<void> {
  startBench('alerts', Number(a.timeout));
  const watch = startLoadWatch();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'trove-bench-alerts-'));
  const pgDb = a.backend === 'postgres' ? await createBenchDatabase(a['pg-admin-uri']) : undefined;
  const server = await startTroveServer({ dataDir, backendStoreUri: pgDb?.uri ?? join(dataDir, 'trove.db') });
  const client = createClient('node:http', server.url);
  try {
    const experiment = async (name: string) =>
      (await callJson(client, 'POST', `${API}/experiments/create`, { name })).experiment_id as string;
    const bare = await experiment('no-rules');
    const watched = await experiment('five-rules');
    for (const rule of RULES) await callJson(client, 'POST', `/api/trove/v1/experiments/${watched}/alert-rules`, rule);
    const rates: Record<string, number[]> = { '0 rules': [], '5 rules': [] };
    for (let r = 0; r < Number(a.rounds); r++) {
      for (const [label, id] of [
        ['0 rules', bare],
        ['5 rules', watched],
      ] as const) {
        const res = await ingest(client, id, Number(a.seconds) * 1000);
        if (res.errors > 0) throw new Error(`${res.errors} failed requests`);
        rates[label].push(res.pointsPerSecond);
        log(`round ${r + 1}, ${label}: ${fmtRate(res.pointsPerSecond, 'points/s')}`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const none = median(rates['0 rules']);
    const five = median(rates['5 rules']);
    log(
      `\n${a.backend}: median 0 rules ${fmtRate(none, 'points/s')}, 5 rules ${fmtRate(five, 'points/s')} (${((100 * (five - none)) / none).toFixed(1)}%)`,
    );
    log(formatLoad(watch()));
  } finally {
    await client.close();
    await server.stop();
    if (pgDb) await dropBenchDatabase(a['pg-admin-uri'], pgDb.name);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
