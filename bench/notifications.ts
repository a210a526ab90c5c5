/**
 * `npm run bench:notifications`: what notifications add to `recordEvent`, the call every registry
 * change and run end makes in its transaction. Times one event per transaction for an event no
 * notice exists for (a model tag: the baseline of event log + webhook outbox + live event), a
 * stage change on a model nobody watches, and one watched by W users (W inbox rows + the fan-out
 * queries). SQLite by default; `--backend postgres` on a fresh database. See docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, parseServerConfig } from '@trove/server';
import { findWorkspaceByName, insertWatch, openStore, runInTransaction, type Store } from '@trove/store';
import { recordEvent } from '../packages/server/src/services/registry-events.ts';
import { formatLoad, startLoadWatch } from './lib/load.ts';
import { createBenchDatabase, dropBenchDatabase } from './lib/postgres.ts';
import { fmtMs, nowMs, summarize } from './lib/stats.ts';

const { values: a } = parseArgs({
  options: {
    n: { type: 'string', default: '200' },
    watchers: { type: 'string', default: '0,10,100,1000' },
    backend: { type: 'string', default: 'sqlite' },
    'pg-admin-uri': {
      type: 'string',
      default: process.env.TROVE_BENCH_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/test',
    },
  },
});
const N = Number(a.n);
const dir = mkdtempSync(join(os.tmpdir(), 'trove-bench-notify-'));
const pg = a.backend === 'postgres' ? await createBenchDatabase(a['pg-admin-uri'] as string, 'notify') : undefined;
const uri = pg?.uri ?? join(dir, 'trove.db');

async function timeEvents(store: Store, wsId: number, modelId: number, entity: string, action: string) {
  const samples: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = nowMs();
    await runInTransaction(store, (tx) =>
      recordEvent(tx, {
        workspaceId: wsId,
        modelId,
        modelName: `bench-${modelId}`,
        version: 1,
        entity,
        action,
        actor: 'bencher',
        payload: {
          name: `bench-${modelId}`,
          version: '1',
          from_stage: 'None',
          to_stage: 'Staging',
          key: 'k',
          value: 'v',
        },
      }),
    );
    samples.push(nowMs() - t0);
  }
  return summarize(samples);
}

try {
  const config = parseServerConfig(
    { port: 0, backendStoreUri: uri, artifactsDestination: join(dir, 'a'), logLevel: 'silent' },
    {
      ...process.env,
      TROVE_WEBHOOK_DISPATCHER: 'off',
    },
  );
  const store = await openStore(config.backendStoreUri, { poolSize: 5 });
  const app = await createApp({ config, store, logger: false });
  await app.ready();
  const ws = Number((await findWorkspaceByName(store.db, 'default'))?.id);
  const done = startLoadWatch();
  console.log(`backend ${a.backend}, ${N} events per case, one event per transaction`);
  const line = (label: string, s: ReturnType<typeof summarize>) =>
    console.log(`${label.padEnd(44)} p50 ${fmtMs(s.p50)}  p95 ${fmtMs(s.p95)}  mean ${fmtMs(s.mean)}`);
  line('model tag set (no notice: baseline)', await timeEvents(store, ws, 1, 'registered_model_tag', 'set'));
  for (const w of String(a.watchers).split(',').map(Number)) {
    const modelId = 1000 + w;
    for (let u = 0; u < w; u++)
      await insertWatch(store.db, {
        workspace_id: ws,
        target_type: 'model',
        target_id: String(modelId),
        user_name: `user-${u}`,
        creation_time: Date.now(),
      });
    line(`stage change, ${w} watchers`, await timeEvents(store, ws, modelId, 'model_version', 'stage_transitioned'));
  }
  console.log(formatLoad(done()));
  await app.close();
  await store.close();
} finally {
  if (pg) await dropBenchDatabase(a['pg-admin-uri'] as string, pg.name);
  rmSync(dir, { recursive: true, force: true });
}
