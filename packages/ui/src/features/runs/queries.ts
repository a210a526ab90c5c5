import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { searchRuns, type ViewType } from '../../api/mlflow.ts';

/** Runs page by page (`next_page_token`); the table asks for the next page as the user scrolls near the end. */
export const RUNS_PAGE_SIZE = 100;

/** One experiment's run search: the runs table's query, and what app/route-preload.ts prefetches for its URL. */
export function runSearchQuery(experimentId: string, filter: string, orderBy: string[], viewType: ViewType = 'ACTIVE_ONLY') {
  return infiniteQueryOptions({
    queryKey: ['runs', experimentId, filter, orderBy, viewType],
    queryFn: ({ pageParam, signal }) => searchRuns({ experimentIds: [experimentId], filter, orderBy, viewType, pageToken: pageParam, maxResults: RUNS_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPageToken : undefined),
  });
}

/** `refreshMs`: poll every loaded page at this interval (auto-refresh while runs are running). */
export function useRunSearch(experimentId: string, filter: string, orderBy: string[], refreshMs: number | false = false, viewType: ViewType = 'ACTIVE_ONLY') {
  return useInfiniteQuery({ ...runSearchQuery(experimentId, filter, orderBy, viewType), refetchInterval: refreshMs, placeholderData: keepPreviousData });
}
