import http from 'node:http';
import { API, callJson, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { fmtRate } from '../lib/stats.ts';

export interface IngestRound {
  concurrency: number;
  spans: number;
  ms: number;
  spansPerSecond: number;
  /** The same bodies POSTed to the bare node:http server: the HTTP limit at this body size. */
  echoSpansPerSecond: number;
}

export type IngestResult = { spansPerBatch: number; batchBytes: number; rounds: IngestRound[] } | { missing: string };

const SPANS_PER_BATCH = 512;
const BATCHES = 120;

/** POSTs every body once, `concurrency` requests in flight; returns the wall time in ms. */
async function postAll(
  url: string,
  bodies: Buffer[],
  concurrency: number,
  headers: Record<string, string>,
  check: (response: Buffer) => void = () => {},
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body: Buffer) =>
    new Promise<void>((ok, fail) => {
      const req = http.request(
        `${url}/v1/traces`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length, ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            res.statusCode === 200
              ? ok()
              : fail(
                  new Error(`POST /v1/traces → ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`),
                ),
          );
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) await post(bodies[next++]);
    }),
  );
  const ms = performance.now() - t0;
  agent.destroy();
  return ms;
}

/**
 * OTLP ingest: `BATCHES` protobuf export requests of 512 spans (new ids in every one) into a fresh
 * experiment, 1 and then 4 in flight, per round; each beside the same bodies sent to the bare
 * node:http server. Skipped, with the reason, when the tree lacks the endpoint or the OTel packages.
 */
export async function otlpIngestBench(client: HttpClient, serverUrl: string, echoUrl: string, rounds: number) {
  const probe = await client.request('POST', '/v1/traces', '');
  if (probe.status === 404) {
    log('OTLP ingest: POST /v1/traces is not served by this tree (404): not measured');
    return { missing: 'POST /v1/traces answers 404 on this tree' } satisfies IngestResult;
  }
  const { otlpBatches, rejectedSpans } = await import('./otlp-batches.ts');
  const accepted = (response: Buffer) => {
    const rejected = rejectedSpans(response);
    if (rejected) throw new Error(`the server rejected spans: ${rejected}`);
  };
  const out: IngestRound[] = [];
  let batchBytes = 0;
  for (let round = 0; round < rounds; round++) {
    for (const concurrency of [1, 4]) {
      const bodies = otlpBatches(BATCHES, SPANS_PER_BATCH);
      batchBytes = bodies[0].length;
      const { experiment_id } = await callJson(client, 'POST', `${API}/experiments/create`, {
        name: `otlp-${round}-${concurrency}-${Date.now()}`,
      });
      const headers = { 'x-mlflow-experiment-id': String(experiment_id) };
      await postAll(serverUrl, bodies.slice(0, 4), 1, headers, accepted);
      const ms = await postAll(serverUrl, bodies.slice(4), concurrency, headers, accepted);
      const echoMs = await postAll(echoUrl, bodies.slice(4), concurrency, {});
      const spans = (bodies.length - 4) * SPANS_PER_BATCH;
      const r = {
        concurrency,
        spans,
        ms,
        spansPerSecond: (spans / ms) * 1000,
        echoSpansPerSecond: (spans / echoMs) * 1000,
      };
      out.push(r);
      log(
        `  OTLP ingest, ${concurrency} in flight: ${fmtRate(r.spansPerSecond, 'spans/s')} (bare HTTP with the same bodies: ${fmtRate(r.echoSpansPerSecond, 'spans/s')})`,
      );
    }
  }
  return { spansPerBatch: SPANS_PER_BATCH, batchBytes, rounds: out } satisfies IngestResult;
}
