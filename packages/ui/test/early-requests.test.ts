import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { earlyRequestsScript } from '../build-plugins/early-requests.ts';
import { DEFAULT_RUN_SEARCH_BODY, EXPERIMENT_ID_SLOT } from '../src/api/early-search.ts';
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
  runInNewContext(earlyRequestsScript(), { window, fetch, location: { pathname, search, hash: '' }, JSON });
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
