import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { earlyRequestsScript } from '../build-plugins/early-requests.ts';
import { DEFAULT_RUN_SEARCH_BODY, EXPERIMENT_ID_SLOT } from '../src/api/early-search.ts';
import { comparedRunIds, compareSpec } from '../src/features/compare/compare-state.ts';
import { fetchCompareRuns } from '../src/features/compare/queries.ts';
import { experimentSpec, runSearchArgs } from '../src/features/runs/experiment-state.ts';
import { runSearchQuery } from '../src/features/runs/queries.ts';
import { decodeState } from '../src/lib/url-state.ts';

/** Runs index.html's script for a location; returns what it fetched, in order. */
function earlyFetches(pathname: string, search = '', me: object = { auth_enabled: false }) {
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
    JSON,
    URLSearchParams,
  });
  return {
    fetched,
    early: window.__troveEarly as {
      me: Promise<unknown>;
      requests?: { url: string; body: string; response: Promise<unknown> }[];
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
    expect(early.requests).toHaveLength(1);
    expect(early.requests![0].url).toBe(sent[0].url);
    expect(early.requests![0].body).toBe(sent[0].body);
    expect(JSON.parse(sent[0].body).max_results).toBe(100);
    expect(JSON.parse(sent[0].body).filter).toContain("'it\\'s'");
  });

  it('starts no compare search without an experiment or runs', () => {
    for (const search of ['?runs=a&runs=b', '?exp=3', '?exp=3&runs=']) {
      const { fetched, early } = earlyFetches('/compare', search);
      expect(fetched.map((f) => f.url)).toEqual(['/api/trove/v1/auth/me']);
      expect(early.requests).toBeUndefined();
    }
    const { early } = earlyFetches('/w/team-a/compare', '?exp=3&runs=a');
    expect(early.requests![0].url).toBe('/w/team-a/ajax-api/2.0/mlflow/runs/search');
  });

  it('asks who is signed in, then searches with the CSRF token when sign-in is on', async () => {
    const { fetched, early } = earlyFetches('/w/team-a/experiments/12', '', { auth_enabled: true, csrf_token: 't0k' });
    await early.requests![0].response;
    expect(fetched.map((f) => f.url)).toEqual(['/api/trove/v1/auth/me', '/w/team-a/ajax-api/2.0/mlflow/runs/search']);
    expect(fetched[1].init?.headers?.['x-csrf-token']).toBe('t0k');
    expect(JSON.parse(fetched[1].init?.body ?? '')).toMatchObject({ experiment_ids: ['12'] });
  });

  it('starts no search where the URL carries state or is another page', () => {
    for (const [path, search] of [
      ['/experiments/12', '?sort=metrics.loss'],
      ['/experiments/12/runs/abc', ''],
      ['/models', ''],
    ]) {
      const { fetched, early } = earlyFetches(path, search);
      expect(fetched.map((f) => f.url)).toEqual(['/api/trove/v1/auth/me']);
      expect(early.requests).toBeUndefined();
    }
  });
});
