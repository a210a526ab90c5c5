import { API, callJson, expectOk, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { fmtMs, measureLatency, type Summary, summarize } from '../lib/stats.ts';

export interface SmallBatchResult {
  latency: Summary;
  bodyBytes: number;
}

/** 10 metrics (keys s0…s9 at step i) plus 2 params whose keys are new on every request. */
export function smallBody(runId: string, i: number, base: number): string {
  const metrics = Array.from({ length: 10 }, (_, k) => ({
    key: `s${k}`,
    value: Math.random(),
    timestamp: base + i,
    step: i,
  }));
  const params = [
    { key: `p${i}_a`, value: 'x' },
    { key: `p${i}_b`, value: String(i) },
  ];
  return JSON.stringify({ run_id: runId, metrics, params });
}

/** One client, sequential log-batch calls of 10 metrics + 2 params: 200 warm-up, then 2000 timed. */
export async function smallLogBatch(client: HttpClient, experimentId: string): Promise<SmallBatchResult> {
  const create = async (name: string) =>
    (
      await callJson(client, 'POST', `${API}/runs/create`, {
        experiment_id: experimentId,
        run_name: name,
        start_time: Date.now(),
      })
    ).run.info.run_id as string;
  const runId = await create('small-log-batch');
  // Warm-up calls go to a run of their own, so the timed run is logged in order, step by step,
  // as a training loop logs.
  const warmupRunId = await create('small-log-batch-warmup');
  const base = Date.UTC(2025, 0, 1);
  const { samples } = await measureLatency(
    async (i) =>
      expectOk(
        await client.request(
          'POST',
          `${API}/runs/log-batch`,
          i < 0 ? smallBody(warmupRunId, -i, base) : smallBody(runId, i, base),
        ),
        'log-batch',
      ),
    {
      warmup: 200,
      n: 2000,
      budgetMs: 60_000,
    },
  );
  const latency = summarize(samples);
  log(
    `small-log-batch: p50 ${fmtMs(latency.p50)}, p95 ${fmtMs(latency.p95)}, mean ${fmtMs(latency.mean)} over ${latency.n} requests`,
  );
  return { latency, bodyBytes: Buffer.byteLength(smallBody(runId, 1, base)) };
}
