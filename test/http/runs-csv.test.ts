import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDelimited } from '../../packages/ui/src/lib/csv.ts';
import { mlflow, startServer, type TestServer, toQuery } from '../support/server.ts';

// GET /api/trove/v1/experiments/{id}/runs.csv: the runs table's download, every matching run
// (the server reads the search 200 runs at a time, so 450 runs take three pages).
const RUNS = 450;
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let experimentId: string;

const name = (i: number) => `r-${String(i).padStart(3, '0')}`;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  experimentId = await api.createExperiment('csv-export');
  const indexes = Array.from({ length: RUNS }, (_, i) => i);
  for (let at = 0; at < RUNS; at += 25) {
    await Promise.all(
      indexes.slice(at, at + 25).map(async (i) => {
        const tags = [{ key: 'mlflow.user', value: i % 2 ? 'alice' : 'bob' }];
        if (i === 0) tags.push({ key: 'note', value: 'says "hi", then\nleaves' });
        if (i === 1) tags.push({ key: 'note', value: '=HYPERLINK("http://evil.example")' });
        const runId = await api.createRun(experimentId, { run_name: name(i), start_time: 1_700_000_000_000 + i, tags });
        await api.ok('POST', '/runs/log-batch', {
          run_id: runId,
          params: [{ key: 'lr', value: String(i) }],
          metrics: [{ key: 'loss', value: i === 2 ? -0.5 : i / 10, timestamp: 1, step: 0 }],
        });
      }),
    );
  }
});
afterAll(() => server.close());

async function download(query: Record<string, string | string[]>, id = experimentId) {
  const res = await fetch(`${server.url}/api/trove/v1/experiments/${id}/runs.csv${toQuery(query)}`);
  return { res, text: await res.text() };
}

const COLUMNS = ['attributes.status', 'attributes.user_id', 'metrics.loss', 'params.lr', 'tags.note'];

describe('runs CSV export', () => {
  it('writes every matching run across search pages, with the asked columns after run id and name', async () => {
    const { res, text } = await download({ order_by: 'attributes.run_name ASC', column: COLUMNS });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const { rows } = parseDelimited(text, ',', 10_000);
    expect(rows[0]).toEqual(['run_id', 'run_name', 'status', 'user', 'metrics.loss', 'params.lr', 'tags.note']);
    expect(rows).toHaveLength(RUNS + 1);
    expect(rows.slice(1).map((r) => r[1])).toEqual(Array.from({ length: RUNS }, (_, i) => name(i)));
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(RUNS);
    expect(rows[4].slice(1)).toEqual(['r-003', 'RUNNING', 'alice', '0.3', '3', '']);
  });

  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas but not negative numbers', async () => {
    const { text } = await download({ order_by: 'attributes.run_name ASC', column: COLUMNS });
    const lines = text.split('\r\n');
    expect(lines[1]).toMatch(/,"says ""hi"", then\nleaves"$/);
    expect(lines[2]).toMatch(/,"'=HYPERLINK\(""http:\/\/evil.example""\)"$/);
    expect(lines[3]).toMatch(/,-0\.5,2,$/);
    const { rows } = parseDelimited(text, ',', 10_000);
    expect(rows[1][6]).toBe('says "hi", then\nleaves');
    expect(rows[2][6]).toBe(`'=HYPERLINK("http://evil.example")`);
  });

  it('applies the filter and the order as the runs search does', async () => {
    const { text } = await download({
      filter: 'metrics.loss >= 40',
      order_by: 'metrics.loss DESC',
      column: ['metrics.loss'],
    });
    const { rows } = parseDelimited(text, ',', 10_000);
    expect(rows.slice(1).map((r) => r[1])).toEqual(Array.from({ length: 50 }, (_, i) => name(449 - i)));
  });

  it('expands `*` to every metric, param and user tag key of the experiment', async () => {
    const { text } = await download({ order_by: 'attributes.run_name ASC', column: ['attributes.status', '*'] });
    const { rows } = parseDelimited(text, ',', 10_000);
    expect(rows[0]).toEqual(['run_id', 'run_name', 'status', 'metrics.loss', 'params.lr', 'tags.note']);
    expect(rows).toHaveLength(RUNS + 1);
  });

  it('answers an unknown experiment with 404 and a bad filter with 400, as JSON', async () => {
    const missing = await download({}, '987654');
    expect(missing.res.status).toBe(404);
    expect(JSON.parse(missing.text).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const bad = await download({ filter: 'metrics.loss >>> 1' });
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});
