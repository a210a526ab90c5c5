import { API, expectOk, type HttpClient } from '../lib/client.ts';
import { log } from '../lib/report.ts';
import { fmtMs, measureLatency, nowMs, type Summary, summarize } from '../lib/stats.ts';

export const FILTER = "metrics.acc > 0.5 AND params.lr = '0.01'";

export interface SearchResult {
  runs: number;
  filtered: Summary & { returned: number; expectedMatches: number };
  firstPage1000: Summary & { returned: number };
  deepPage: {
    pageSize: number;
    page: number;
    walkMs: number;
    walkPageMs: number[];
    /** Re-requesting page `page` with its saved token. */
    latency: Summary;
    uniqueRuns: number;
  };
}

interface SearchBody {
  experiment_ids: string[];
  filter?: string;
  order_by?: string[];
  max_results: number;
  page_token?: string;
}

async function search(
  client: HttpClient,
  body: SearchBody,
): Promise<{ runs: { info: { run_id: string } }[]; next_page_token?: string }> {
  const res = expectOk(await client.request('POST', `${API}/runs/search`, JSON.stringify(body)), 'runs/search');
  const parsed = JSON.parse(res.body);
  return { runs: parsed.runs ?? [], next_page_token: parsed.next_page_token };
}

/**
 * runs/search over an experiment of `runs` seeded runs: the filtered + ordered query (30 timed),
 * the default-order 1000-run page (30 timed), and page 50 of the default order in 1000-run pages
 * reached by following tokens (then re-requested with its saved token, 10 timed).
 */
export async function searchBench(
  client: HttpClient,
  experimentId: string,
  runs: number,
  expectedMatches: number,
): Promise<SearchResult> {
  const filteredBody: SearchBody = {
    experiment_ids: [experimentId],
    filter: FILTER,
    order_by: ['metrics.acc DESC'],
    max_results: 100,
  };
  let returned = 0;
  const filtered = await measureLatency(
    async () => {
      returned = (await search(client, filteredBody)).runs.length;
    },
    { warmup: 3, n: 30, budgetMs: 60_000 },
  );
  const filteredSummary = { ...summarize(filtered.samples), returned, expectedMatches };
  log(
    `search-${runs} filtered: p50 ${fmtMs(filteredSummary.p50)}, p95 ${fmtMs(filteredSummary.p95)} (${returned} runs returned of ${expectedMatches} matching)`,
  );
  if (returned !== Math.min(100, expectedMatches))
    log(`  WARNING: expected ${Math.min(100, expectedMatches)} runs on the first page, got ${returned}`);

  const pageBody: SearchBody = { experiment_ids: [experimentId], max_results: 1000 };
  let pageReturned = 0;
  const first = await measureLatency(
    async () => {
      pageReturned = (await search(client, pageBody)).runs.length;
    },
    { warmup: 2, n: 30, budgetMs: 60_000 },
  );
  const firstSummary = { ...summarize(first.samples), returned: pageReturned };
  log(`first-page-1000: p50 ${fmtMs(firstSummary.p50)}, p95 ${fmtMs(firstSummary.p95)} (${pageReturned} runs)`);

  // Deep page: follow tokens in default order, 1000 runs a page, up to page 50.
  const targetPage = Math.min(50, Math.ceil(runs / 1000));
  const seen = new Set<string>();
  const walkPageMs: number[] = [];
  let token: string | undefined;
  let tokenOfTarget: string | undefined;
  const walkStart = nowMs();
  for (let page = 1; page <= targetPage; page++) {
    if (page === targetPage) tokenOfTarget = token;
    const t0 = nowMs();
    const res = await search(client, { ...pageBody, page_token: token });
    walkPageMs.push(nowMs() - t0);
    for (const r of res.runs) seen.add(r.info.run_id);
    token = res.next_page_token;
    if (!token && page < targetPage) throw new Error(`runs/search: no next_page_token after page ${page}`);
  }
  const walkMs = nowMs() - walkStart;
  const deep = await measureLatency(async () => search(client, { ...pageBody, page_token: tokenOfTarget }), {
    warmup: 1,
    n: 10,
    budgetMs: 30_000,
  });
  const deepSummary = summarize(deep.samples);
  log(
    `deep page ${targetPage} (1000/page): p50 ${fmtMs(deepSummary.p50)} vs page 1 p50 ${fmtMs(firstSummary.p50)}; walking pages 1..${targetPage} took ${fmtMs(walkMs)} (${seen.size} distinct runs)`,
  );
  if (seen.size !== targetPage * 1000 && seen.size !== runs)
    log(`  WARNING: expected ${targetPage * 1000} distinct runs while paging, saw ${seen.size}`);
  return {
    runs,
    filtered: filteredSummary,
    firstPage1000: firstSummary,
    deepPage: { pageSize: 1000, page: targetPage, walkMs, walkPageMs, latency: deepSummary, uniqueRuns: seen.size },
  };
}
