import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer, toQuery, trove } from '../support/server.ts';

// GET /api/trove/v1/metrics/chart: per run, a step range downsampled on the server (first, min,
// max and last per bucket), columnar, over a real server on both databases.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let curve: string;
let rows: string;
let odd: string;
let empty: string;
let otherRun: string;

type Series = { run_id: string; steps: number[]; timestamps: number[]; values: (number | string)[] };

async function log(
  runId: string,
  points: { step: number | string; value: number | string; timestamp?: number | string }[],
  key = 'loss',
  client = api,
) {
  for (let i = 0; i < points.length; i += 1000) {
    const metrics = points
      .slice(i, i + 1000)
      .map((p) => ({ key, value: p.value, step: p.step, timestamp: p.timestamp ?? 1_000_000 + Number(p.step) }));
    await client.ok('POST', '/runs/log-batch', { run_id: runId, metrics });
  }
}

const chart = (query: Record<string, string | string[]>, ws?: string) =>
  server.call('GET', `${trove(server, ws).base}/metrics/chart${toQuery(query)}`);

async function chartOk(query: Record<string, string | string[]>, ws?: string): Promise<Series[]> {
  const res = await chart(query, ws);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.series;
}

const valueAt = (s: Series, step: number) => s.values[s.steps.indexOf(step)];

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  const exp = await api.createExperiment('charts');
  [curve, rows, odd, empty] = [
    await api.createRun(exp),
    await api.createRun(exp),
    await api.createRun(exp),
    await api.createRun(exp),
  ];
  // 5,000 steps in order: stored as 20 chunks. A spike at 1234, a dip at 4321.
  await log(
    curve,
    Array.from({ length: 5000 }, (_, s) => ({ step: s, value: s === 1234 ? 40 : s === 4321 ? -40 : Math.sin(s / 25) })),
  );
  // Steps going down within a write keep a series in rows.
  await log(
    rows,
    Array.from({ length: 3000 }, (_, i) => ({
      step: 2999 - i,
      value: 2999 - i === 777 ? 30 : Math.cos(i / 20),
      timestamp: 1_000_000 + i,
    })),
  );
  await log(odd, [
    { step: 0, value: 1 },
    { step: 1, value: 'NaN' },
    { step: 2, value: 'Infinity' },
    { step: 3, value: '-Infinity' },
    { step: '9007199254740993', value: 5, timestamp: '9007199254740995' },
  ]);
  await server.call('POST', '/api/trove/v1/workspaces', { name: 'charts-elsewhere' });
  const other = mlflow(server, 'charts-elsewhere');
  otherRun = await other.createRun(await other.createExperiment('charts'));
  await log(otherRun, [{ step: 0, value: 3 }], 'loss', other);
});
afterAll(() => server.close());

describe('GET /api/trove/v1/metrics/chart', () => {
  it('downsamples a chunked series to at most `points`, keeping its ends, spike and dip', async () => {
    for (const points of ['40', '400']) {
      const [s] = await chartOk({ metric_key: 'loss', run_ids: curve, points });
      expect(s.run_id).toBe(curve);
      expect(s.steps.length).toBeLessThanOrEqual(Number(points));
      expect(s.steps.length).toBeGreaterThan(Number(points) / 3);
      expect(s.timestamps.length).toBe(s.steps.length);
      expect(s.values.length).toBe(s.steps.length);
      expect(s.steps[0]).toBe(0);
      expect(s.steps.at(-1)).toBe(4999);
      expect(s.steps).toEqual([...s.steps].sort((a, b) => a - b));
      expect(valueAt(s, 1234)).toBe(40);
      expect(valueAt(s, 4321)).toBe(-40);
      expect(s.timestamps[s.steps.indexOf(1234)]).toBe(1_001_234);
    }
  });

  it('a zoomed range of at most `points` steps comes back whole', async () => {
    const [s] = await chartOk({
      metric_key: 'loss',
      run_ids: curve,
      start_step: '1200',
      end_step: '1299',
      points: '100',
    });
    expect(s.steps).toEqual(Array.from({ length: 100 }, (_, i) => 1200 + i));
    expect(s.values).toEqual(s.steps.map((step) => (step === 1234 ? 40 : Math.sin(step / 25))));
    // Either end alone bounds the range too.
    const [tail] = await chartOk({ metric_key: 'loss', run_ids: curve, start_step: '4990' });
    expect(tail.steps).toEqual(Array.from({ length: 10 }, (_, i) => 4990 + i));
  });

  it('charts a series stored as rows, in step order', async () => {
    const [s] = await chartOk({ metric_key: 'loss', run_ids: rows, points: '100' });
    expect(s.steps.length).toBeLessThanOrEqual(100);
    expect(s.steps[0]).toBe(0);
    expect(s.steps.at(-1)).toBe(2999);
    expect(valueAt(s, 777)).toBe(30);
    const [zoomed] = await chartOk({
      metric_key: 'loss',
      run_ids: rows,
      start_step: '10',
      end_step: '59',
      points: '50',
    });
    expect(zoomed.steps).toEqual(Array.from({ length: 50 }, (_, i) => 10 + i));
  });

  it('answers runs in request order (duplicates once), a run without the metric with empty columns', async () => {
    const series = await chartOk({ metric_key: 'loss', run_ids: [rows, curve, empty, rows], points: '20' });
    expect(series.map((s) => s.run_id)).toEqual([rows, curve, empty]);
    expect(series[2]).toEqual({ run_id: empty, steps: [], timestamps: [], values: [] });
    expect(await chartOk({ metric_key: 'nope', run_ids: curve })).toEqual([
      { run_id: curve, steps: [], timestamps: [], values: [] },
    ]);
  });

  it('writes NaN as "NaN", ±Infinity as MLflow stores them (±DBL_MAX), int64 beyond 2^53 exactly', async () => {
    const res = await fetch(`${server.url}/api/trove/v1/metrics/chart?metric_key=loss&run_ids=${odd}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"steps":[0,1,2,3,9007199254740993]');
    expect(text).toContain('"timestamps":[1000000,1000001,1000002,1000003,9007199254740995]');
    expect(text).toContain('"values":[1,"NaN",1.7976931348623157e+308,-1.7976931348623157e+308,5]');
  });

  it('is per workspace: another workspace’s run is not found, and found under its /w/ prefix', async () => {
    const res = await chart({ metric_key: 'loss', run_ids: otherRun });
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const [s] = await chartOk({ metric_key: 'loss', run_ids: otherRun }, 'charts-elsewhere');
    expect(s).toMatchObject({ run_id: otherRun, steps: [0], values: [3] });
    expect((await chart({ metric_key: 'loss', run_ids: curve }, 'charts-elsewhere')).status).toBe(404);
    expect(
      (await chartOk({ metric_key: 'loss', run_ids: curve, points: '4' }, 'default'))[0].steps.length,
    ).toBeLessThanOrEqual(4);
  });

  it('refuses bad input with MLflow error codes and 4xx', async () => {
    const bad = async (query: Record<string, string | string[]>, status = 400, code = 'INVALID_PARAMETER_VALUE') => {
      const res = await chart(query);
      expect(res.status, JSON.stringify(query)).toBe(status);
      expect(res.body.error_code).toBe(code);
      expect(typeof res.body.message).toBe('string');
    };
    await bad({ run_ids: curve });
    await bad({ metric_key: 'loss' });
    await bad({ metric_key: 'loss', run_ids: Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0')) });
    await bad({ metric_key: 'loss', run_ids: curve, points: 'many' });
    await bad({ metric_key: 'loss', run_ids: curve, points: '3' });
    await bad({ metric_key: 'loss', run_ids: curve, points: '100000' });
    await bad({ metric_key: 'loss', run_ids: curve, start_step: '1.5' });
    await bad({ metric_key: 'loss', run_ids: curve, start_step: '10', end_step: '9' });
    await bad({ metric_key: 'loss', run_ids: [curve, 'f'.repeat(32)] }, 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
