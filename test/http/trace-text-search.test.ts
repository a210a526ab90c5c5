import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';

// Free text over trace previews (`text`, `request_preview`, `response_preview`): answered through
// the previews' text index (SQLite FTS5 trigram, PostgreSQL pg_trgm, migration 0015), which may
// only pre-select: the results must be exactly what the LIKE/ILIKE itself selects.
let server: TestServer;
let api: ReturnType<typeof mlflow>;
let exp: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer();
  api = mlflow(server);
  exp = (await api.ok('POST', '/experiments/create', { name: 'free-text' })).experiment_id;
  const previews: Record<string, [string, string]> = {
    refund: ['{"q": "I want a Refund for order 7"}', '{"a": "Refunds take 5 days"}'],
    lower: ['{"q": "refund please"}', '{"a": "ok"}'],
    answer: ['{"q": "where is my parcel"}', '{"a": "no refund, sorry"}'],
    quoted: ['say "hi" twice', 'hi hi'],
    other: ['{"q": "reset my password"}', '{"a": "done"}'],
  };
  let ts = 1_000;
  for (const [name, [input, output]] of Object.entries(previews)) {
    ts += 10;
    const { trace_info } = await api.ok('POST', '/traces', {
      experiment_id: exp,
      timestamp_ms: ts,
      request_metadata: [{ key: 'mlflow.traceInputs', value: input }],
    });
    ids[name] = trace_info.request_id;
    await api.ok('PATCH', `/traces/${ids[name]}`, {
      timestamp_ms: ts + 5,
      status: name === 'answer' ? 'ERROR' : 'OK',
      request_metadata: [{ key: 'mlflow.traceOutputs', value: output }],
    });
  }
});
afterAll(() => server.close());

async function search(filter: string, max = 100, token?: string) {
  const query: Record<string, string> = { experiment_ids: exp, filter, max_results: String(max) };
  if (token) query.page_token = token;
  const res = await api.get('/traces', query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const names = (res.body.traces ?? []).map(
    (t: { request_id: string }) => Object.entries(ids).find(([, id]) => id === t.request_id)?.[0],
  );
  return { names, token: res.body.next_page_token as string | undefined };
}

describe('free text over previews', () => {
  it.each([
    ["text ILIKE '%refund%'", ['answer', 'lower', 'refund']],
    ["text LIKE '%refund%'", ['answer', 'lower']],
    ["text LIKE '%Refund%'", ['refund']],
    ["request_preview ILIKE '%REFUND%'", ['lower', 'refund']],
    ["response_preview LIKE '%Refunds take%'", ['refund']],
    ["text ILIKE '%ref_nd%'", ['answer', 'lower', 'refund']],
    ["text ILIKE '%re%'", ['other', 'answer', 'lower', 'refund']],
    ['text ILIKE \'%"hi"%\'', ['quoted']],
    ["text ILIKE '%refund%' AND status = 'ERROR'", ['answer']],
    ["text ILIKE '%refund%' OR text ILIKE '%password%'", ['other', 'answer', 'lower', 'refund']],
    ["text ILIKE '%kumquat%'", []],
  ])('%s', async (filter, expected) => {
    expect((await search(filter)).names).toEqual(expected);
  });

  it('pages through matches with tokens, each once', async () => {
    const first = await search("text ILIKE '%refund%'", 2);
    expect(first.names).toEqual(['answer', 'lower']);
    const second = await search("text ILIKE '%refund%'", 2, first.token);
    expect(second.names).toEqual(['refund']);
    expect(second.token).toBeUndefined();
  });

  it('follows changed previews and deleted traces', async () => {
    await api.ok('PATCH', `/traces/${ids.other}`, {
      request_metadata: [{ key: 'mlflow.traceOutputs', value: '{"a": "refund issued"}' }],
    });
    expect((await search("text ILIKE '%refund issued%'")).names).toEqual(['other']);
    expect((await search("text ILIKE '%done%'")).names).toEqual([]);
    await api.ok('POST', '/traces/delete-traces', { experiment_id: exp, request_ids: [ids.refund] });
    expect((await search("text ILIKE '%refund%'")).names).toEqual(['other', 'answer', 'lower']);
  });
});
