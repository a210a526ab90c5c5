import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

/**
 * get-history writes a series stored as chunks from columns straight into bytes, and one stored
 * as rows through point objects: the same points must come out as the same bytes either way,
 * page tokens included.
 */

let server: TestServer;
let api: ReturnType<typeof mlflow>;
const runs = { chunks: '', rows: '' };

const N = 700;
const SPECIAL: Record<number, string> = {
  0: '-0',
  3: '"NaN"',
  99: '"Infinity"',
  100: '"-Infinity"',
  // Page boundaries of max_results=256 and 257 fall on NaN points: their cursors carry is_nan.
  255: '"NaN"',
  256: '"NaN"',
  300: '5e-324',
  301: '1e21',
  302: '-123456789.125',
  400: '0.1',
};
const value = (i: number) => SPECIAL[i] ?? String(Math.sin(i) * 10 ** ((i % 13) - 6));

/** Point i of a series as a log-batch metric (raw JSON: int64 beyond 2^53 as strings). */
function metric(key: string, i: number, big: boolean): string {
  const step = big && i >= 300 ? `"${2n ** 53n + 1n + BigInt(i)}"` : String(i);
  const timestamp = big && i >= 300 ? `"${2n ** 60n + BigInt(i)}"` : String(1_735_689_600_000 + 3 * i);
  return `{"key":${JSON.stringify(key)},"value":${value(i)},"timestamp":${timestamp},"step":${step}}`;
}

async function logBatch(runId: string, metrics: string[]) {
  const res = await fetch(`${server.url}/api/2.0/mlflow/runs/log-batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"run_id":"${runId}","metrics":[${metrics.join(',')}]}`,
  });
  expect(res.status, await res.text()).toBe(200);
}

const KEYS = { plain: 'loss', wide: 'größe/über: 数' };
/** A full chunk of steps 0..255, then one starting on step 255 again: a step that runs on into the next chunk. */
const SHARED = 'shared';
const shared = (i: number) =>
  `{"key":"${SHARED}","value":${value(i)},"timestamp":${1000 + i},"step":${i < 256 ? i : i - 1}}`;

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  const exp = await api.createExperiment('history-bytes');
  runs.chunks = await api.createRun(exp);
  runs.rows = await api.createRun(exp);
  for (const [key, big] of [
    [KEYS.plain, false],
    [KEYS.wide, true],
  ] as const) {
    const points = Array.from({ length: N }, (_, i) => metric(key, i, big));
    // In history order, in two writes: chunks. The last point first, then points before it: the
    // series moves to rows.
    await logBatch(runs.chunks, points.slice(0, 350));
    await logBatch(runs.chunks, points.slice(350));
    await logBatch(runs.rows, points.slice(-1));
    await logBatch(runs.rows, points.slice(0, -1));
  }
  const points = Array.from({ length: 600 }, (_, i) => shared(i));
  await logBatch(runs.chunks, points.slice(0, 256));
  await logBatch(runs.chunks, points.slice(256));
  await logBatch(runs.rows, points.slice(-1));
  await logBatch(runs.rows, points.slice(0, -1));
});
afterAll(() => server.close());

async function layoutOf(runId: string, key: string): Promise<number> {
  const { rows } = await sql<{ layout: number }>`
    SELECT s.layout FROM metric_series s INNER JOIN runs r ON r.id = s.run_id
    WHERE r.run_uuid = ${runId} AND s.key = ${key}`.execute(server.store.db);
  return Number(rows[0].layout);
}

/** Every page of a history walk with max_results `size` (undefined: one answer), as raw responses. */
async function walk(runId: string, key: string, size?: number): Promise<Response[]> {
  const out: Response[] = [];
  let token: string | undefined;
  do {
    let url = `${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}`;
    if (size !== undefined) url += `&max_results=${size}`;
    if (token) url += `&page_token=${encodeURIComponent(token)}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    out.push(res);
    token = JSON.parse(await res.clone().text()).next_page_token;
  } while (token);
  return out;
}

describe('get-history bytes', () => {
  it('stores the two runs’ series as chunks and as rows', async () => {
    for (const key of [...Object.values(KEYS), SHARED]) {
      expect(await layoutOf(runs.chunks, key)).toBe(1);
      expect(await layoutOf(runs.rows, key)).toBe(0);
    }
  });

  it('answers the same bytes from chunks as from rows, page tokens included', async () => {
    for (const key of Object.values(KEYS)) {
      for (const size of [undefined, 100, 255, 256, 257, 699, 700, 1000]) {
        const fromChunks = await walk(runs.chunks, key, size);
        const fromRows = await walk(runs.rows, key, size);
        expect(fromChunks.length).toBe(size === undefined ? 1 : Math.ceil(N / size));
        expect(fromChunks.length).toBe(fromRows.length);
        for (const [i, res] of fromChunks.entries()) {
          const body = Buffer.from(await res.arrayBuffer());
          expect(body.toString('utf8'), `${key} max_results=${size} page ${i}`).toBe(await fromRows[i].text());
          expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
          expect(Number(res.headers.get('content-length'))).toBe(body.length);
        }
      }
    }
  });

  it('writes NaN as "NaN", ±Infinity as ±DBL_MAX, -0 as 0, int64 beyond 2^53 exactly, a UTF-8 key as UTF-8', async () => {
    const [plain] = await walk(runs.chunks, KEYS.plain);
    const text = await plain.text();
    const metrics = JSON.parse(text).metrics as { value: unknown }[];
    expect(metrics).toHaveLength(N);
    expect(text.startsWith('{"metrics":[{"key":"loss","value":0,"timestamp":1735689600000,"step":0},')).toBe(true);
    expect(metrics[3].value).toBe('NaN');
    expect(text).toContain('{"key":"loss","value":1.7976931348623157e+308,"timestamp":1735689600297,"step":99}');
    expect(text).toContain('{"key":"loss","value":-1.7976931348623157e+308,"timestamp":1735689600300,"step":100}');
    expect(text).toContain('"value":5e-324,');
    expect(text).toContain('"value":1e+21,');
    expect(text).toContain('"value":-123456789.125,');
    const [wide] = await walk(runs.chunks, KEYS.wide);
    const bytes = Buffer.from(await wide.arrayBuffer());
    expect(bytes.includes(Buffer.from('{"key":"größe/über: 数","value":', 'utf8'))).toBe(true);
    const last = `"timestamp":${2n ** 60n + 699n},"step":${2n ** 53n + 700n}}]}`;
    expect(bytes.toString('utf8').endsWith(last)).toBe(true);
    expect(bytes.toString('utf8')).toContain(`"timestamp":1735689600897,"step":299},`);
  });

  it('pages over a NaN point: the next page starts after it', async () => {
    const [first, second] = await walk(runs.chunks, KEYS.plain, 256);
    const a = JSON.parse(await first.text());
    const b = JSON.parse(await second.text());
    expect(a.metrics.at(-1)).toEqual({ key: 'loss', value: 'NaN', timestamp: 1_735_689_600_765, step: 255 });
    expect(b.metrics[0]).toEqual({ key: 'loss', value: 'NaN', timestamp: 1_735_689_600_768, step: 256 });
    expect(a.metrics.length + b.metrics.length + 188).toBe(N);
  });

  it('answers get-history-bulk-interval with the same bytes from chunks as from rows', async () => {
    const bulk = async (runId: string, key: string, query: string) => {
      const url = `${server.url}/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${runId}&metric_key=${encodeURIComponent(key)}${query}`;
      const res = await fetch(url);
      expect(res.status).toBe(200);
      return (await res.text()).replaceAll(runId, 'RUN');
    };
    for (const key of [...Object.values(KEYS), SHARED]) {
      for (const max of [1, 7, 320, 1000]) {
        for (const range of [
          '',
          '&start_step=250&end_step=262',
          '&start_step=255&end_step=255',
          '&start_step=0&end_step=3',
        ]) {
          const query = `&max_results=${max}${range}`;
          const fromChunks = await bulk(runs.chunks, key, query);
          expect(fromChunks, `${key}${query}`).toBe(await bulk(runs.rows, key, query));
        }
      }
    }
    // Step 255 of the shared series: its point in each chunk, in history order.
    const at255 = JSON.parse(await bulk(runs.chunks, SHARED, '&start_step=255&end_step=255')).metrics;
    expect(at255.map((m: { timestamp: number }) => m.timestamp)).toEqual([1255, 1256]);
  });
});
