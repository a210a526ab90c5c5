// Logging with no server at all, then replaying: `offline: true` writes only to the local log.
//   npx tsx examples/sdk/offline.ts && trove sync ./trove-offline --tracking-uri http://127.0.0.1:5000
import { startRun, TrackingClient } from '@trove/sdk';

const run = await startRun(new TrackingClient(), {
  experimentName: 'on-the-plane',
  offline: true,
  offlineDir: './trove-offline',
});
await run.setTags({ where: 'offline' });
for (let step = 0; step < 100; step++) await run.log({ metrics: { loss: Math.exp(-step / 20) }, step });
await run.logTable('predictions', 99, [
  { input: 'cat.png', label: 'cat', score: 0.93 },
  { input: 'dog.png', label: 'dog', score: 0.88 },
]);
await run.end();
console.log(`logged ${run.runId} to ./trove-offline`);
