import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { earlyRequestsScript } from '../build-plugins/early-requests.ts';
import { DEFAULT_RUN_SEARCH_BODY, EXPERIMENT_ID_SLOT } from '../src/api/early-search.ts';
import { getExperiment } from '../src/api/mlflow.ts';
import { metricChartQuery } from '../src/charts/metric-chart-query.ts';
import { comparedChartPoints, comparedRunIds, compareSpec } from '../src/features/compare/compare-state.ts';
import { fetchCompareRuns } from '../src/features/compare/queries.ts';
import { experimentSpec, runSearchArgs } from '../src/features/runs/experiment-state.ts';
import { runSearchQuery } from '../src/features/runs/queries.ts';
import { decodeState } from '../src/lib/url-state.ts';

/** Runs index.html's script for a location (and the cookies its script may read); returns what it fetched, in order. */
function earlyFetches(pathname: string, search = '', me: object = { auth_enabled: false }, cookie = '') {
  const fetched: { url: string; init?: { method?: string; headers?: Record<string, string>; body?: string } }[] = [];
  const fetch = (url: string, init?: (typeof fetched)[number]['init']) => {
    fetched.push({ url, init });
    return Promise.resolve({ ok: true, json: () => Promise.resolve(me) });
  };
  const window: Record<string, unknown> = {};
  runInNewContext(earlyRequestsScript(), {
    window,
    fetch,
    location: { pathname, search, hash: '' },
    document: { cookie },
    JSON,
    URLSearchParams,
  });
  return {
    fetched,
    early: window.__troveEarly as {
      me: Promise<unknown>;
      requests?: { method: string; url: string; body: string | undefined; response: Promise<unknown> }[];
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('requests index.html starts early', () => {
  it('sends the same first runs search as the experiment page does for a plain URL', async () => {
    const sent: { url: string; body: string }[] = [];
    vi.stubGlobal('window', { location: { pathname: '/experiments/7', search: '' } });
    vi.stubGlobal('localStorage', { getItem: () => null });
    vi.stubGlobal('fetch', async (url: string, init: { body?: string }) => {
      if (init?.body) sent.push({ url, body: init.body });
      return new Response(url.endsWith('auth/me') ? '{"auth_enabled":false}' : '{"runs":[]}', { status: 200 });
    });
    const { filter, orderBy, viewType } = runSearchArgs(decodeState(experimentSpec, ''));
    const query = runSearchQuery('7', filter, orderBy, viewType);
    await query.queryFn!({ pageParam: undefined, signal: new AbortController().signal } as never);
    expect(sent).toEqual([
      { url: '/ajax-api/2.0/mlflow/runs/search', body: DEFAULT_RUN_SEARCH_BODY.replace(EXPERIMENT_ID_SLOT, '"7"') },
    ]);
  });

  it('asks for the experiment with the same URL as the app, on both pages and in a workspace', async () => {
    for (const [pathname, search, id] of [
      ['/experiments/7', '', '7'],
      ['/workspaces/team-a/experiments/a%20b%2Fc', '', 'a b/c'],
      ['/compare', '?exp=5&runs=r1', '5'],
    ]) {
      const urls: string[] = [];
      vi.stubGlobal('window', { location: { pathname, search } });
      vi.stubGlobal('localStorage', { getItem: () => null });
      vi.stubGlobal('fetch', async (url: string) => {
        urls.push(url);
        return new Response('{"experiment":{}}', { status: 200 });
      });
      await getExperiment(id);
      const { early } = earlyFetches(pathname, search);
      expect(early.requests!.filter((r) => r.method === 'GET').map((r) => r.url)).toEqual(urls);
    }
  });

  it("sends the same runs search as the compare page, ids quoted and cut at the page's limit", async () => {
    const ids = Array.from({ length: 105 }, (_, i) => `run${i}`);
    ids[1] = "it's";
    const search = `?exp=5&${ids.map((id) => `runs=${encodeURIComponent(id)}`).join('&')}&metric=loss`;
    const sent: { url: string; body: string }[] = [];
    vi.stubGlobal('window', { location: { pathname: '/compare', search } });
    vi.stubGlobal('fetch', async (url: string, init: { body?: string }) => {
      if (init?.body) sent.push({ url, body: init.body });
      // Runs the search does not return are read one by one: answer those too.
      const runId = new URL(url, 'http://x').searchParams.get('run_id');
      return new Response(runId ? JSON.stringify({ run: { info: { run_id: runId } } }) : '{"runs":[]}', {
        status: 200,
      });
    });
    const state = decodeState(compareSpec, search);
    await fetchCompareRuns(comparedRunIds(state.runs), state.exp);
    const { early } = earlyFetches('/compare', search);
    expect(sent[0].url).toBe('/ajax-api/2.0/mlflow/runs/search');
    const searches = early.requests!.filter((r) => r.method === 'POST');
    expect(searches).toHaveLength(1);
    expect(searches[0].url).toBe(sent[0].url);
    expect(searches[0].body).toBe(sent[0].body);
    expect(JSON.parse(sent[0].body).max_results).toBe(100);
    expect(JSON.parse(sent[0].body).filter).toContain("'it\\'s'");
  });

  it("requests the compare page's charts its URL names as the page does, with the same points per run", async () => {
    for (const n of [1, 7, 100, 130]) {
      const ids = Array.from({ length: n }, (_, i) => `r/${i}&x`);
      const search = `?${ids.map((id) => `runs=${encodeURIComponent(id)}`).join('&')}&metric=loss&metric=acc%2Ftop%201`;
      const urls: string[] = [];
      vi.stubGlobal('window', { location: { pathname: '/workspaces/team-a/compare', search } });
      vi.stubGlobal('localStorage', { getItem: () => null });
      vi.stubGlobal('fetch', async (url: string) => {
        urls.push(url);
        return new Response('{"series":[]}', { status: 200 });
      });
      const state = decodeState(compareSpec, search);
      const compared = comparedRunIds(state.runs);
      for (const metric of state.metric ?? [])
        await metricChartQuery(metric, compared, null, comparedChartPoints(compared.length)).queryFn!({
          signal: new AbortController().signal,
        } as never);
      const { early } = earlyFetches('/workspaces/team-a/compare', search);
      // Without `exp` there is no runs search; only the charts.
      expect(early.requests!.map((r) => [r.method, r.url, r.body])).toEqual(urls.map((u) => ['GET', u, undefined]));
    }
  });

  it('starts no compare search without an experiment or runs', () => {
    for (const search of ['?runs=a&runs=b', '?exp=3', '?exp=3&runs=', '?exp=3&metric=loss']) {
      const { fetched, early } = earlyFetches('/compare', search);
      expect(fetched.map((f) => f.url)).toEqual(['/api/trove/v1/auth/me']);
      expect(early.requests).toEqual([]);
    }
    const { early } = earlyFetches('/workspaces/team-a/compare', '?exp=3&runs=a');
    expect(early.requests!.map((r) => r.url)).toEqual([
      '/w/team-a/ajax-api/2.0/mlflow/experiments/get?experiment_id=3',
      '/w/team-a/ajax-api/2.0/mlflow/runs/search',
    ]);
    // The default workspace's pages ask without a prefix, as the app does.
    expect(earlyFetches('/workspaces/default/compare', '?exp=3&runs=a').early.requests![1].url).toBe(
      '/ajax-api/2.0/mlflow/runs/search',
    );
  });

  it('with a session cookie (its readable marker), asks who is signed in, then searches with the CSRF token', async () => {
    const { fetched, early } = earlyFetches(
      '/workspaces/team-a/experiments/12',
      '',
      { auth_enabled: true, csrf_token: 't0k' },
      'theme=dark; trove_signed_in=1',
    );
    // No search until auth/me's answer is in (a GET needs no token).
    const experimentGet = '/w/team-a/ajax-api/2.0/mlflow/experiments/get?experiment_id=12';
    expect(fetched.map((f) => f.url)).toEqual(['/api/trove/v1/auth/me', experimentGet]);
    await early.requests![1].response;
    expect(fetched.map((f) => f.url)).toEqual([
      '/api/trove/v1/auth/me',
      experimentGet,
      '/w/team-a/ajax-api/2.0/mlflow/runs/search',
    ]);
    expect(fetched[2].init?.headers?.['x-csrf-token']).toBe('t0k');
    expect(JSON.parse(fetched[2].init?.body ?? '')).toMatchObject({ experiment_ids: ['12'] });
  });

  it('without a session cookie, searches at once, beside auth/me, with no token', () => {
    for (const cookie of ['', 'theme=dark', 'not_trove_signed_in=1']) {
      const { fetched } = earlyFetches('/experiments/12', '', { auth_enabled: false }, cookie);
      expect(fetched.map((f) => f.url)).toEqual([
        '/api/trove/v1/auth/me',
        '/ajax-api/2.0/mlflow/experiments/get?experiment_id=12',
        '/ajax-api/2.0/mlflow/runs/search',
      ]);
      expect(fetched[2].init?.headers?.['x-csrf-token']).toBeUndefined();
    }
  });

  it('starts no search where the URL carries state or is another page', () => {
    for (const [path, search] of [
      ['/experiments/12', '?sort=metrics.loss'],
      ['/experiments/12/runs/abc', ''],
      ['/models', ''],
    ]) {
      const { fetched, early } = earlyFetches(path, search);
      expect(fetched.map((f) => f.url)).toEqual(['/api/trove/v1/auth/me']);
      expect(early.requests).toEqual([]);
    }
  });
});
