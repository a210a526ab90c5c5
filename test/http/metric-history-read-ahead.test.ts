import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

/**
 * get-history computes the next page while the client reads the current one: a walk gives the
 * same points as one unpaged read, and a point written between two pages is in the next page even
 * when that page had been computed before the write.
 */

let server: TestServer;
let api: ReturnType<typeof mlflow>;
let experiment: string;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  experiment = await api.createExperiment('history-read-ahead');
});
afterAll(() => server.close());

type Point = { key: string; value: number | string; timestamp: number; step: number };
const T0 = 1_735_689_600_000;
/** Point i: timestamps 10 ms apart, so a point can be put between any two. */
const point = (i: number, value = i / 7): Point => ({ key: 'loss', value, timestamp: T0 + 10 * i, step: i });

async function logPoints(runId: string, points: Point[]) {
  await api.ok('POST', '/runs/log-batch', { run_id: runId, metrics: points });
}

async function page(runId: string, maxResults?: number, token?: string) {
  const query: Record<string, string> = { run_id: runId, metric_key: 'loss' };
  if (maxResults !== undefined) query.max_results = String(maxResults);
  if (token) query.page_token = token;
  const res = await api.get('/metrics/get-history', query);
  expect(res.status).toBe(200);
  return res.body as { metrics?: Point[]; next_page_token?: string };
}

async function walk(runId: string, maxResults: number, pause = 0) {
  const points: Point[] = [];
  let token: string | undefined;
  do {
    const body = await page(runId, maxResults, token);
    points.push(...(body.metrics ?? []));
    token = body.next_page_token;
    if (pause) await sleep(pause);
  } while (token);
  return points;
}

describe('get-history pages read ahead', () => {
  it('a walk answers the same points as one unpaged read, at any page size', async () => {
    const run = await api.createRun(experiment);
    // Two writes in history order: the series is stored as chunks.
    await logPoints(
      run,
      Array.from({ length: 500 }, (_, i) => point(i)),
    );
    await logPoints(
      run,
      Array.from({ length: 500 }, (_, i) => point(500 + i)),
    );
    const all = (await page(run)).metrics;
    expect(all).toHaveLength(1000);
    for (const size of [1, 7, 100, 999, 1000]) expect(await walk(run, size, size === 100 ? 20 : 0)).toEqual(all);
  });

  it('a point written between two pages is in the next page, though that page was read before it', async () => {
    const run = await api.createRun(experiment);
    await logPoints(
      run,
      Array.from({ length: 100 }, (_, i) => point(i)),
    );
    const first = await page(run, 10);
    expect(first.metrics?.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Time for the server to have read the second page ahead.
    await sleep(300);
    // Between points 14 and 15 of the history: inside the second page.
    const between: Point = { key: 'loss', value: 42, timestamp: T0 + 145, step: 14 };
    await logPoints(run, [between]);
    const second = await page(run, 10, first.next_page_token);
    expect(second.metrics?.map((p) => [p.step, p.timestamp])).toEqual([
      ...[10, 11, 12, 13, 14].map((i) => [i, T0 + 10 * i]),
      [14, T0 + 145],
      ...[15, 16, 17, 18].map((i) => [i, T0 + 10 * i]),
    ]);
    // And an appended point (a write at the end) is in the last page.
    await sleep(300);
    await logPoints(run, [point(100, 1)]);
    const rest = [] as Point[];
    let token = second.next_page_token;
    while (token) {
      const body = await page(run, 10, token);
      rest.push(...(body.metrics ?? []));
      token = body.next_page_token;
    }
    expect(rest.at(-1)).toEqual(point(100, 1));
    expect(rest).toHaveLength(82);
  });
});
