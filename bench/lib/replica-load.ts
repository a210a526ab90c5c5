import { FILTER } from '../benchmarks/search.ts';
import { API, callJson, type HttpClient } from './client.ts';
import { nowMs, type Summary, summarize } from './stats.ts';

/**
 * The replica bench's closed-loop load: `clients` concurrent clients, each sending its next
 * request as soon as the last one answered, for a fixed time after an uncounted warm-up.
 */
export interface PhaseResult<W = unknown> {
  requests: number;
  errors: number;
  lastError?: string;
  wallMs: number;
  requestsPerSecond: number;
  latency: Summary;
  /** What `watch` returned for the timed part (e.g. the CPU split). */
  watched?: W;
}

/** Called when the timed part starts; the function it returns is called when it ends. */
export type Watch<W> = () => () => W;

async function closedLoop<W>(
  clients: number,
  warmupMs: number,
  durationMs: number,
  send: (client: number) => Promise<{ status: number; body: string }>,
  watch?: Watch<W>,
): Promise<PhaseResult<W>> {
  let errors = 0;
  let lastError: string | undefined;
  const loop = async (c: number, until: number, latencies?: number[]) => {
    let ok = 0;
    while (nowMs() < until) {
      const t0 = nowMs();
      const res = await send(c);
      if (res.status === 200) ok++;
      else {
        errors++;
        lastError = `${res.status} ${res.body.slice(0, 200)}`;
      }
      latencies?.push(nowMs() - t0);
    }
    return ok;
  };
  const warmUntil = nowMs() + warmupMs;
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c, warmUntil)));
  errors = 0;
  const latencies: number[] = [];
  const stopWatch = watch?.();
  const start = nowMs();
  const counts = await Promise.all(Array.from({ length: clients }, (_, c) => loop(c, start + durationMs, latencies)));
  const wallMs = nowMs() - start;
  const watched = stopWatch?.();
  const requests = counts.reduce((a, b) => a + b, 0);
  return {
    requests,
    errors,
    lastError,
    wallMs,
    requestsPerSecond: (requests / wallMs) * 1000,
    latency: summarize(latencies),
    watched,
  };
}

/** A log-batch of `keys` metrics × `steps` steps; request `r` of a run carries steps r·steps …. */
export function batchBody(runId: string, r: number, keys: number, steps: number): string {
  const base = Date.UTC(2025, 0, 1);
  const metrics: string[] = [];
  for (let k = 0; k < keys; k++)
    for (let j = 0; j < steps; j++) {
      const step = r * steps + j;
      metrics.push(`{"key":"m${k}","value":${Math.random()},"timestamp":${base + step},"step":${step}}`);
    }
  return `{"run_id":"${runId}","metrics":[${metrics.join(',')}]}`;
}

export interface IngestShape {
  keys: number;
  steps: number;
}

/** Each client logs into a run of its own (a training job), in step order. */
export async function ingestPhase<W>(
  http: HttpClient,
  experimentId: string,
  clients: number,
  shape: IngestShape,
  warmupMs: number,
  durationMs: number,
  watch?: Watch<W>,
): Promise<PhaseResult<W> & { pointsPerSecond: number }> {
  const runIds: string[] = [];
  for (let c = 0; c < clients; c++) {
    const { run } = await callJson(http, 'POST', `${API}/runs/create`, {
      experiment_id: experimentId,
      run_name: `replica-ingest-${c}`,
      start_time: Date.now(),
    });
    runIds.push(run.info.run_id);
  }
  const next = runIds.map(() => 0);
  const result = await closedLoop(
    clients,
    warmupMs,
    durationMs,
    (c) => http.request('POST', `${API}/runs/log-batch`, batchBody(runIds[c], next[c]++, shape.keys, shape.steps)),
    watch,
  );
  return { ...result, pointsPerSecond: result.requestsPerSecond * shape.keys * shape.steps };
}

/** The main bench's filtered search (`metrics.acc > 0.5 AND params.lr = '0.01'`, by acc, 100 a page). */
export function searchPhase<W>(
  http: HttpClient,
  experimentId: string,
  clients: number,
  warmupMs: number,
  durationMs: number,
  watch?: Watch<W>,
): Promise<PhaseResult<W>> {
  const body = JSON.stringify({
    experiment_ids: [experimentId],
    filter: FILTER,
    order_by: ['metrics.acc DESC'],
    max_results: 100,
  });
  return closedLoop(clients, warmupMs, durationMs, () => http.request('POST', `${API}/runs/search`, body), watch);
}
