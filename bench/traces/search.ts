import { API, expectOk, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { fmtMs, measureLatency, type Summary, summarize } from '../lib/stats.ts';
import { ABSENT_WORD, COMMON_WORD, RARE_USER, RARE_WORD, type SeededTraces } from './seed.ts';

export interface TraceQuery {
  name: string;
  filter?: string;
  /** Traces of the experiment that match, counted while seeding (undefined: not counted). */
  matches?: number;
}

export interface TraceQueryResult extends TraceQuery {
  returned: number;
  /** One summary per round. */
  rounds: Summary[];
}

export interface TraceSearchResult {
  experimentTraces: number;
  queries: TraceQueryResult[];
  deepPage: { page: number; pageSize: number; walkMs: number; rounds: Summary[] };
}

const PAGE = 100;
const DAY = 86_400_000;

interface Page {
  traces: { request_id: string }[];
  next_page_token?: string;
}

async function search(client: HttpClient, experimentId: string, filter?: string, token?: string): Promise<Page> {
  const q = new URLSearchParams({ experiment_ids: experimentId, max_results: String(PAGE) });
  if (filter) q.set('filter', filter);
  if (token) q.set('page_token', token);
  const res = expectOk(await client.request('GET', `${API}/traces?${q}`), `traces search ${filter ?? ''}`);
  const parsed = JSON.parse(res.body);
  return { traces: parsed.traces ?? [], next_page_token: parsed.next_page_token };
}

/** The benchmark's filters over one experiment, from the broadest to the most selective. */
export function traceQueries(seed: SeededTraces, experimentId: string, firstRun: string): TraceQuery[] {
  const c = seed.counts[experimentId] ?? {};
  const mid = seed.firstMs + 15 * DAY;
  return [
    { name: 'default order, first page', matches: c.all },
    { name: 'time range (1 day)', filter: `timestamp_ms >= ${mid} AND timestamp_ms < ${mid + DAY}` },
    { name: "status = 'ERROR'", filter: "status = 'ERROR'", matches: c['state:ERROR'] },
    { name: "status = 'IN_PROGRESS'", filter: "status = 'IN_PROGRESS'", matches: c['state:IN_PROGRESS'] },
    { name: "tag env = 'staging'", filter: "tags.env = 'staging'", matches: c['env:staging'] },
    { name: 'tag user = one of 1000', filter: `tags.user = '${RARE_USER}'`, matches: c['user:rare'] },
    { name: 'run_id = one of the runs', filter: `run_id = '${firstRun}'`, matches: c['run:first'] },
    {
      name: 'status + time range + tag',
      filter: `status = 'ERROR' AND timestamp_ms >= ${mid} AND timestamp_ms < ${mid + DAY} AND tags.env = 'prod'`,
    },
    { name: `text ILIKE common word`, filter: `text ILIKE '%${COMMON_WORD}%'`, matches: c[`text:${COMMON_WORD}`] },
    { name: `text ILIKE rare word`, filter: `text ILIKE '%${RARE_WORD}%'`, matches: c[`text:${RARE_WORD}`] },
    { name: 'text ILIKE absent word', filter: `text ILIKE '%${ABSENT_WORD}%'`, matches: 0 },
    {
      name: 'request_preview LIKE rare word',
      filter: `request_preview LIKE '%${RARE_WORD}%'`,
    },
  ];
}

/**
 * Each query: 2 warm-up requests, then `n` timed (V2 `GET traces`, 100 per page), in `rounds`
 * rounds. The deep page: page `deep` of the default order reached by following tokens, then
 * re-requested `n` times with its saved token per round.
 */
export async function traceSearchBench(
  client: HttpClient,
  experimentId: string,
  queries: TraceQuery[],
  { rounds, n, deep }: { rounds: number; n: number; deep: number },
): Promise<TraceSearchResult> {
  const results: TraceQueryResult[] = queries.map((q) => ({ ...q, returned: 0, rounds: [] }));
  let token: string | undefined;
  const t0 = performance.now();
  for (let p = 1; p < deep; p++) {
    token = (await search(client, experimentId, undefined, token)).next_page_token;
    if (!token) throw new Error(`the default order ended before page ${deep}`);
  }
  const walkMs = performance.now() - t0;
  const deepRounds: Summary[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const r of results) {
      const m = await measureLatency(
        async () => {
          r.returned = (await search(client, experimentId, r.filter)).traces.length;
        },
        { warmup: 2, n, budgetMs: 20_000 },
      );
      r.rounds.push(summarize(m.samples));
    }
    const m = await measureLatency(
      async () => {
        const page = await search(client, experimentId, undefined, token);
        if (page.traces.length !== PAGE) throw new Error(`deep page returned ${page.traces.length}`);
      },
      { warmup: 1, n, budgetMs: 20_000 },
    );
    deepRounds.push(summarize(m.samples));
  }
  for (const r of results) {
    const expected = r.matches === undefined ? undefined : Math.min(PAGE, r.matches);
    if (expected !== undefined && r.returned !== expected)
      throw new Error(`${r.name}: returned ${r.returned}, expected ${expected} (${r.matches} match)`);
    log(
      `  ${r.name.padEnd(32)} p50 ${r.rounds.map((s) => fmtMs(s.p50)).join(' / ')}  p95 ${r.rounds.map((s) => fmtMs(s.p95)).join(' / ')}  (${r.returned} returned${r.matches === undefined ? '' : ` of ${r.matches}`})`,
    );
  }
  log(
    `  ${`page ${deep} by token`.padEnd(32)} p50 ${deepRounds.map((s) => fmtMs(s.p50)).join(' / ')}  p95 ${deepRounds.map((s) => fmtMs(s.p95)).join(' / ')}  (walk to it: ${fmtMs(walkMs)})`,
  );
  return {
    experimentTraces: queries[0].matches ?? 0,
    queries: results,
    deepPage: { page: deep, pageSize: PAGE, walkMs, rounds: deepRounds },
  };
}
