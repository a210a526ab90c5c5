import type { QueryClient } from '@tanstack/react-query';
import { metricChartQuery } from '../charts/metric-chart-query.ts';
import { commonestKey } from '../features/compare/compare-rows.ts';
import { comparedChartPoints, comparedRunIds, compareSpec } from '../features/compare/compare-state.ts';
import { compareRunsQuery } from '../features/compare/queries.ts';
import { experimentQuery } from '../features/experiments/queries.ts';
import { clampDepth, lineageSpec } from '../features/lineage/lineage-state.ts';
import { lineageQuery } from '../features/lineage/queries.ts';
import { runQuery } from '../features/run/queries.ts';
import { runSpec } from '../features/run/run-state.ts';
import { experimentSpec, runSearchArgs } from '../features/runs/experiment-state.ts';
import { experimentKeysQuery, runSearchQuery } from '../features/runs/queries.ts';
import { lookup } from '../features/runs/run-values.ts';
import { traceListQuery, traceQuery, traceSpanQuery } from '../features/traces/queries.ts';
import { traceListSpec } from '../features/traces/trace-list-state.ts';
import { hashRouteToPath } from '../lib/route-match.ts';
import { decodeState } from '../lib/url-state.ts';
import { splitWorkspacePath } from '../lib/workspace-path.ts';
import { ChartsTab, CompareCharts, ExperimentCharts, MetricChart } from './lazy-modules.ts';
import { matchPage, PAGE_MODULES } from './routes.tsx';

/**
 * Starts what the page at `location` will need, before React renders it: the page's chunk, the
 * chart chunks it will show, and its first requests where the URL alone decides them. The
 * queries use the pages' own option factories, so the page finds them in the cache (or in
 * flight) instead of asking again; anything not started here the page starts itself.
 */
export function preloadRoute(
  queryClient: QueryClient,
  location: { pathname: string; search: string; hash: string },
): void {
  // MLflow's hash links (`/#/experiments/1`) redirect once the app runs; preload where they lead.
  const hashPath = hashRouteToPath(location.hash);
  const [pathname, search = ''] = hashPath
    ? hashPath.split('?')
    : [splitWorkspacePath(location.pathname).path, location.search];
  const match = matchPage(pathname);
  if (!match) return;
  // Requests first, chunks after: over HTTP/1.1 a browser opens 6 connections per host, and what
  // is asked for first gets one first. The page's data (a search over 100k runs) takes longer on
  // the server than a chunk takes to send, so it must not queue behind the chunks.
  preloadData(queryClient, match, search);
  void PAGE_MODULES[match.name].preload();
}

function preloadData(queryClient: QueryClient, match: NonNullable<ReturnType<typeof matchPage>>, search: string): void {
  const { params } = match;
  switch (match.name) {
    case 'experiment': {
      const state = decodeState(experimentSpec, search);
      const { filter, orderBy, viewType } = runSearchArgs(state);
      void queryClient.prefetchInfiniteQuery(runSearchQuery(params.experimentId, filter, orderBy, viewType));
      void queryClient.prefetchQuery(experimentQuery(params.experimentId));
      void queryClient.prefetchQuery(experimentKeysQuery(params.experimentId));
      // Charts show by default (a layout derived from the metrics) unless the URL's layout has none.
      // Their chunks load now, after the requests (holding them until the first runs were in
      // gave no measurable gain in first rows).
      if (!state.charts || state.charts.charts.length > 0) void ExperimentCharts.preload();
      if (!state.charts || state.charts.charts.some((c) => c.type === 'line')) void MetricChart.preload();
      return;
    }
    case 'experiment-traces': {
      const s = decodeState(traceListSpec, search);
      void queryClient.prefetchInfiniteQuery(traceListQuery(params.experimentId, s.filter, s.range, s.from, s.to));
      void queryClient.prefetchQuery(experimentQuery(params.experimentId));
      return;
    }
    case 'trace': {
      void queryClient.prefetchQuery(traceQuery(params.traceId));
      const span = new URLSearchParams(search).get('span');
      if (span) void queryClient.prefetchQuery(traceSpanQuery(params.traceId, span));
      return;
    }
    case 'lineage': {
      const s = decodeState(lineageSpec, search);
      if (s.node) void queryClient.prefetchQuery(lineageQuery(s.node, s.direction, clampDepth(s.depth)));
      return;
    }
    case 'run':
      void queryClient.prefetchQuery(runQuery(params.runId));
      if (decodeState(runSpec, search).tab === 'charts') void ChartsTab.preload();
      return;
    case 'compare': {
      const state = decodeState(compareSpec, search);
      const ids = comparedRunIds(state.runs);
      if (ids.length === 0) return;
      if (state.exp) void queryClient.prefetchQuery(experimentQuery(state.exp));
      // The chart asks for the runs it loaded, in URL order: when every run exists, these ids.
      for (const metric of state.metric ?? [])
        void queryClient.prefetchQuery(metricChartQuery(metric, ids, null, comparedChartPoints(ids.length)));
      // Without a metric in the URL the page charts the runs' commonest one: ask for it as soon
      // as the runs arrive, not after the page has rendered them.
      void queryClient.fetchQuery(compareRunsQuery(ids, state.exp)).then(({ runs }) => {
        const metric = state.metric?.length ? '' : commonestKey(runs.map((r) => lookup(r).metrics));
        if (metric)
          void queryClient.prefetchQuery(
            metricChartQuery(
              metric,
              runs.map((r) => r.info.run_id),
              null,
              comparedChartPoints(runs.length),
            ),
          );
      }, ignoreFailure);
      void MetricChart.preload();
      void CompareCharts.preload();
      return;
    }
  }
}

/** A preload that failed is left to the page, which asks again and shows the error. */
const ignoreFailure = () => {};
