import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflowSampledSteps } from '../../packages/server/src/services/mlflow-step-sampling.ts';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

// get-history-bulk-interval answers from chunk metadata (step pieces), not from every step. This
// checks it against the definition (mlflowSampledSteps over every distinct step each run logged) on
// series written through log-batch as clients write them: dense, strided, steps logged several
// times, negative steps, writes of 5 to 1,000 points (tails extended, chunks split on shared
// steps), and series written out of order (stored as rows). Fixed seed and bounded runs.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let experiment: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  experiment = await api.createExperiment('bulk-interval-steps');
});
afterAll(() => server.close());

const stepsArb = fc
  .record({
    base: fc.integer({ min: -30, max: 50 }),
    blocks: fc.array(
      fc.record({
        gap: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 4, max: 2000 })),
        length: fc.integer({ min: 1, max: 150 }),
        stride: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 9 })),
        times: fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 2, max: 3 })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ base, blocks }) => {
    const out: number[] = [];
    let at = base;
    for (const b of blocks) {
      at += b.gap;
      for (let i = 0; i < b.length; i++, at += b.stride) for (let t = 0; t < b.times; t++) out.push(at);
    }
    return out;
  });

const runArb = fc.record({
  steps: stepsArb,
  batch: fc.constantFrom(5, 60, 1000),
  rows: fc.boolean(), // half of the runs written out of order (stored as rows)
});

async function logRun(steps: number[], batch: number, outOfOrder: boolean): Promise<string> {
  const runId = await api.createRun(experiment);
  const points = steps.map((step, i) => ({ key: 'm', value: i % 17, timestamp: 1_000 + i, step }));
  // Steps going down as timestamps go up: the series is stored as rows.
  if (outOfOrder) for (const [i, p] of points.entries()) p.timestamp = 1_000 + points.length - i;
  for (let i = 0; i < points.length; i += batch)
    await api.ok('POST', '/runs/log-batch', { run_id: runId, metrics: points.slice(i, i + batch) });
  return runId;
}

describe('get-history-bulk-interval picks the steps MLflow picks, from step pieces', () => {
  it('on random dense, sparse, duplicated and row series, with and without a range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(runArb, { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.record({
            max: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(320)),
            window: fc.option(fc.tuple(fc.integer({ min: -40, max: 2500 }), fc.integer({ min: 0, max: 2500 })), {
              nil: undefined,
            }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (runs, asks) => {
          const ids: string[] = [];
          for (const r of runs) ids.push(await logRun(r.steps, r.batch, r.rows));
          for (const { max, window } of asks) {
            const range = window && { start: BigInt(window[0]), end: BigInt(window[0] + window[1]) };
            const expected = mlflowSampledSteps(
              runs.map((r) => r.steps.map(BigInt)),
              max,
              range,
            ).map(Number);
            const query = ids.map((id) => `run_ids=${id}`).join('&');
            const within = range ? `&start_step=${range.start}&end_step=${range.end}` : '';
            const res = await api.ok(
              'GET',
              `/metrics/get-history-bulk-interval?${query}&metric_key=m&max_results=${max}${within}`,
            );
            const metrics = (res.metrics ?? []) as { run_id: string; step: number }[];
            runs.forEach((r, i) => {
              const own = new Set(r.steps);
              const got = [...new Set(metrics.filter((m) => m.run_id === ids[i]).map((m) => m.step))];
              expect(got, `run ${i} of ${runs.length}, max ${max}, range ${window}`).toEqual(
                expected.filter((s) => own.has(s)),
              );
            });
          }
        },
      ),
      { seed: 20_250_917, numRuns: 20 },
    );
  }, 120_000);
});
