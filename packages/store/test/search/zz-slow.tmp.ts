import { openStore } from '../../src/store.ts';
import { searchRuns } from '../../src/search/index.ts';
import { type SeedRun, seedExperiment, seedRuns, seedWorkspace, uuidFor } from './seed.ts';
import { createDatabase, dropDatabase } from '../../../../test/support/postgres.ts';
import { sql } from 'kysely';
type Run = SeedRun & { uuid: string };
function rng(seed: number) { let s = seed; return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; }; }
function generate(count: number, experiment: number, firstIndex: number, seed: number): Run[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i): Run => {
    const m = r(); const p = r();
    return { name: `e${experiment}r${i}`, experiment, uuid: uuidFor(firstIndex + i), start: 1 + Math.floor(r() * 5), end: r() < 0.3 ? null : 10 + Math.floor(r() * 3),
      metrics: m < 0.2 ? {} : m < 0.35 ? { m: Number.NaN } : { m: [0.1, 0.2, 0.3][Math.floor(r() * 3)] },
      params: p < 0.25 ? {} : { p: ['a', 'b', 'B', 'c'][Math.floor(r() * 4)] } };
  });
}
await dropDatabase('trove_slow');
const uri = await createDatabase('trove_slow');
const store = await openStore(uri);
await seedWorkspace(store); await seedExperiment(store, 1); await seedExperiment(store, 2);
await seedRuns(store, generate(60, 1, 1, 7), 1); await seedRuns(store, generate(1500, 2, 1000, 11), 1000);
if (process.argv[2] === 'analyze') await sql`ANALYZE`.execute(store.db);
const orig = store.db.executeQuery.bind(store.db);
for (const [filter, orderBy] of [['metrics.m >= 0.2', ['params.p DESC', 'metrics.m ASC', 'end_time ASC']], ["params.p != 'a'", ['metrics.m ASC', 'params.p DESC']]] as const) {
  const t0 = Date.now(); let n = 0;
  let pageToken: string | undefined;
  do { const t = Date.now(); const page = await searchRuns(store, { experimentIds: [1], viewType: 'ACTIVE_ONLY', orderBy: [...orderBy], filter, maxResults: 4, pageToken }); pageToken = page.nextPageToken; n++; if (Date.now() - t > 300) console.log('slow page', n, Date.now() - t); } while (pageToken);
  console.log(filter, orderBy, n, 'pages', Date.now() - t0, 'ms');
}
await store.close();
