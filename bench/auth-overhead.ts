/**
 * What authentication costs on the smallest hot write: the small log-batch benchmark (10 metrics +
 * 2 params per request, one client, 2000 timed requests after 200 warm-up) against three servers on
 * fresh SQLite stores: auth off; auth on with a Bearer API token; auth on with Basic credentials.
 * Rounds alternate the servers so drift in machine load spreads over all three. The audit log is
 * written in every mode (it does not depend on auth), so the differences are the credential checks.
 *
 * Usage: npx tsx bench/auth-overhead.ts [--rounds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallLogBatch } from './benchmarks/small-log-batch.ts';
import { API, callJson, createClient } from './lib/client.ts';
import { type ChildServer, startTroveServer } from './lib/server.ts';
import { fmtMs } from './lib/stats.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 3);
const ADMIN = { TROVE_ADMIN_USERNAME: 'bench-admin', TROVE_ADMIN_PASSWORD: 'bench-admin-password' };
const basic = `Basic ${Buffer.from('bench-admin:bench-admin-password').toString('base64')}`;

interface Mode {
  name: string;
  server: ChildServer;
  headers: Record<string, string>;
  p50: number[];
}

const dirs: string[] = [];
async function start(auth: boolean): Promise<ChildServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trove-auth-bench-'));
  dirs.push(dataDir);
  return startTroveServer({ dataDir, serverArgs: auth ? ['--app-name', 'basic-auth'] : [], env: auth ? ADMIN : {} });
}

const off = await start(false);
const on = await start(true);
const tokenRes = await callJson(
  createClient('node:http', on.url, { authorization: basic }),
  'POST',
  '/api/trove/v1/auth/tokens',
  {
    name: 'bench',
  },
);
const modes: Mode[] = [
  { name: 'auth off', server: off, headers: {}, p50: [] },
  { name: 'auth on, Bearer token', server: on, headers: { authorization: `Bearer ${tokenRes.token}` }, p50: [] },
  { name: 'auth on, Basic', server: on, headers: { authorization: basic }, p50: [] },
];
console.log(
  `cpu: ${cpus()[0].model} ×${cpus().length}; load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
try {
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      const client = createClient('node:http', mode.server.url, mode.headers);
      const exp = (await callJson(client, 'POST', `${API}/experiments/create`, { name: `r${round}-${mode.name}` }))
        .experiment_id as string;
      const { latency } = await smallLogBatch(client, exp);
      mode.p50.push(latency.p50);
      await client.close();
    }
  }
} finally {
  await off.stop();
  await on.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(modes[0].p50);
console.log('\nmode | p50 per round | median p50 | vs auth off');
for (const m of modes)
  console.log(
    `${m.name} | ${m.p50.map(fmtMs).join(', ')} | ${fmtMs(median(m.p50))} | ${m === modes[0] ? '—' : `${((median(m.p50) - base) * 1000).toFixed(0)} µs`}`,
  );
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
