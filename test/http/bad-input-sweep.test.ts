import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { answerProblem, describeFailure, routeUrl, sendHostile } from '../support/sweep.ts';

// Every mounted RPC gets a battery of hostile requests. None may answer 5xx, every error must be
// an MLflow error envelope, and the server must keep serving.
let server: TestServer;
let runId: string;

beforeAll(async () => {
  server = await startServer();
  runId = await mlflow(server).createRun('0');
});
afterAll(() => server.close());

const WRONG: unknown[] = [
  12345,
  -1,
  1.5,
  true,
  null,
  '',
  'x',
  '../../etc/passwd',
  'a'.repeat(10_000),
  [],
  ['a', 1],
  {},
  { nested: { deep: [1] } },
  'NaN',
  '9'.repeat(30),
];

function bodiesFor(spec: Record<string, { kind: unknown; repeated?: boolean }>): unknown[] {
  const fields = Object.keys(spec);
  const bodies: unknown[] = [{}, [], 'string body', 42, null];
  for (const value of WRONG) bodies.push(Object.fromEntries(fields.map((f) => [f, value])));
  for (const f of fields) for (const value of WRONG) bodies.push({ run_id: runId, experiment_id: '0', [f]: value });
  return bodies;
}

describe('bad input never produces a 5xx', () => {
  it('sweeps every RPC with wrong types, missing fields and junk bodies', async () => {
    expect(server.catalog.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let requests = 0;
    for (const route of server.catalog) {
      for (const pathValue of ['m-0000', '%2e%2e', 'x'.repeat(300)]) {
        const url = routeUrl(route, pathValue);
        for (const body of bodiesFor(route.spec)) {
          const res = await sendHostile(server, route, url, body);
          requests++;
          const problem = answerProblem(res);
          if (problem) failures.push(describeFailure(route, url, body, res, problem));
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
    expect((await server.call('GET', '/health')).status).toBe(200);
  }, 240_000);
});
