import { API, callJson, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { fmtMs, fmtRate, nowMs, type Summary, summarize } from '../lib/stats.ts';

export interface IngestResult {
  clients: number;
  pointsPerRequest: number;
  requests: number;
  points: number;
  wallMs: number;
  pointsPerSecond: number;
  requestLatency: Summary;
  bodyBytes: number;
  errors: number;
}

const KEYS = 10;
const STEPS = 100;

/** A log-batch of 10 keys × 100 steps (request `r` carries steps r*100 … r*100+99). */
export function ingestBody(runId: string, r: number, base: number): string {
  let s = `{"run_id":"${runId}","metrics":[`;
  let first = true;
  for (let k = 0; k < KEYS; k++) {
    for (let j = 0; j < STEPS; j++) {
      const step = r * STEPS + j;
      s += `${first ? '' : ','}{"key":"m${k}","value":${Math.random()},"timestamp":${base + step},"step":${step}}`;
      first = false;
    }
  }
  return `${s}]}`;
}

/**
 * 4 concurrent clients, each logging into its own run, each sending 1000-point log-batch requests
 * back to back for `durationMs` (after a short warm-up). Points/s = acknowledged (200) points /
 * wall time.
 */
export async function ingest(
  client: HttpClient,
  experimentId: string,
  durationMs: number,
  clients = 4,
): Promise<IngestResult> {
  const base = Date.UTC(2025, 0, 1);
  const runIds: string[] = [];
  for (let c = 0; c < clients; c++) {
    const { run } = await callJson(client, 'POST', `${API}/runs/create`, {
      experiment_id: experimentId,
      run_name: `ingest-${c}`,
      start_time: Date.now(),
    });
    runIds.push(run.info.run_id);
  }
  const next = runIds.map(() => 0);
  let errors = 0;
  let lastError = '';
  const send = async (c: number) => {
    const res = await client.request('POST', `${API}/runs/log-batch`, ingestBody(runIds[c], next[c]++, base));
    if (res.status !== 200) {
      errors++;
      lastError = `${res.status} ${res.body.slice(0, 300)}`;
      return false;
    }
    return true;
  };
  // Warm-up: 10 requests per client, not counted.
  await Promise.all(
    runIds.map(async (_, c) => {
      for (let i = 0; i < 10; i++) await send(c);
    }),
  );
  const latencies: number[] = [];
  let ok = 0;
  const start = nowMs();
  const deadline = start + durationMs;
  await Promise.all(
    runIds.map(async (_, c) => {
      while (nowMs() < deadline) {
        const t0 = nowMs();
        if (await send(c)) ok++;
        latencies.push(nowMs() - t0);
      }
    }),
  );
  const wallMs = nowMs() - start;
  if (errors > 0) log(`  ingest: ${errors} failed requests, last: ${lastError}`);
  const points = ok * KEYS * STEPS;
  const result: IngestResult = {
    clients,
    pointsPerRequest: KEYS * STEPS,
    requests: ok,
    points,
    wallMs,
    pointsPerSecond: (points / wallMs) * 1000,
    requestLatency: summarize(latencies),
    bodyBytes: Buffer.byteLength(ingestBody(runIds[0], 1_000_000, base)),
    errors,
  };
  log(
    `ingest: ${points} points in ${(wallMs / 1000).toFixed(2)} s → ${fmtRate(result.pointsPerSecond, 'points/s')} (${clients} clients, ${ok} requests of ~${(result.bodyBytes / 1024).toFixed(0)} KiB, request p50 ${fmtMs(result.requestLatency.p50)})`,
  );
  return result;
}
