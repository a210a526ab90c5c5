import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { getExperimentKeys } from '../../api/experiment-keys.ts';
import { searchRuns, type ViewType } from '../../api/mlflow.ts';
import { runIdFilter } from './nest-parents.ts';

/**
 * Runs page by page (`next_page_token`); the table asks for the next page as the user scrolls near
 * the end. The first page is small so the first rows come fast; later pages are larger so a long
 * scroll pays for few page loads (each one parses a page and re-renders the rows in view: with
 * 100-run pages a scroll through 700 runs had six of them, enough to set the 95th-percentile frame).
 */
export const RUNS_PAGE_SIZE = 100;
export const RUNS_LATER_PAGE_SIZE = 500;

/** One experiment's run search: the runs table's query, and what app/route-preload.ts prefetches for its URL. */
export function runSearchQuery(
  experimentId: string,
  filter: string,
  orderBy: string[],
  viewType: ViewType = 'ACTIVE_ONLY',
) {
  return infiniteQueryOptions({
    queryKey: ['runs', experimentId, filter, orderBy, viewType],
    queryFn: ({ pageParam, signal }) =>
      searchRuns(
        {
          experimentIds: [experimentId],
          filter,
          orderBy,
          viewType,
          pageToken: pageParam,
          maxResults: pageParam ? RUNS_LATER_PAGE_SIZE : RUNS_PAGE_SIZE,
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPageToken : undefined),
  });
}

/** `refreshMs`: poll every loaded page at this interval (auto-refresh while runs are running). */
export function useRunSearch(
  experimentId: string,
  filter: string,
  orderBy: string[],
  refreshMs: number | false = false,
  viewType: ViewType = 'ACTIVE_ONLY',
) {
  return useInfiniteQuery({
    ...runSearchQuery(experimentId, filter, orderBy, viewType),
    refetchInterval: refreshMs,
    placeholderData: keepPreviousData,
  });
}

/**
 * Every param, metric and tag key of the experiment, including those of runs not loaded yet: the
 * column chooser's and filter box's choices, and what app/route-preload.ts prefetches with the runs.
 */
export function experimentKeysQuery(experimentId: string) {
  return queryOptions({
    queryKey: ['experiment-keys', experimentId],
    queryFn: ({ signal }) => getExperimentKeys(experimentId, signal),
  });
}

export function useExperimentKeys(experimentId: string) {
  return useQuery(experimentKeysQuery(experimentId));
}

/** Runs fetched by id this many at a time (one filter each). */
const BY_ID_CHUNK = 100;

/** Runs of the experiment by id (the parents nesting needs that no loaded page holds yet). */
export function useRunsById(experimentId: string, ids: readonly string[], viewType: ViewType) {
  return useQuery({
    queryKey: ['runs-by-id', experimentId, ids, viewType],
    queryFn: async ({ signal }) => {
      const chunks: string[][] = [];
      for (let at = 0; at < ids.length; at += BY_ID_CHUNK) chunks.push(ids.slice(at, at + BY_ID_CHUNK));
      const pages = await Promise.all(
        chunks.map((chunk) =>
          searchRuns(
            { experimentIds: [experimentId], filter: runIdFilter(chunk), viewType, maxResults: chunk.length },
            signal,
          ),
        ),
      );
      return pages.flatMap((p) => p.items);
    },
    enabled: ids.length > 0,
    placeholderData: keepPreviousData,
  });
}
