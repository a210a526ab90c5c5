import { TrackingClient } from '@trove/sdk';
import { it } from 'vitest';
import { startServer } from '/work/main/test/support/server.ts';
it('probe', async () => {
  const server = await startServer();
  const client = new TrackingClient({ trackingUri: server.url });
  const runId = (await client.createRun({})).info.run_id;
  await client.logMetric(runId, 'big', 1, { step: 2n ** 60n, timestamp: 3000 });
  await client.logBatch(runId, { metrics: [{ key: 'big2', value: 1, step: 2n ** 60n + 1n }] });
  console.log((await server.call('GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=big`)).headers);
  const r = await fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=big`); console.log(await r.text());
  const r2 = await fetch(`${server.url}/api/2.0/mlflow/runs/get?run_id=${runId}`); console.log(await r2.text());
  await server.close();
});
