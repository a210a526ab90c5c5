import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { getTraceView, listExperimentTraces, listRunTraces } from '../../api/traces.ts';
import { rangeBounds, type TimeRange } from './trace-list-state.ts';

export const TRACES_PAGE_SIZE = 100;

interface PageParam {
  token?: string;
  bounds: { from?: number; to?: number };
}

/**
 * An experiment's traces page by page. A relative range ("last hour") is turned into bounds when
 * the first page is fetched, and later pages carry those same bounds: the page token is only
 * valid for the query it came from.
 */
export function traceListQuery(
  experimentId: string,
  filter: string,
  range: TimeRange,
  from: number | null,
  to: number | null,
) {
  return infiniteQueryOptions({
    queryKey: ['traces', experimentId, filter, range, from, to],
    queryFn: async ({ pageParam, signal }) => {
      const bounds = pageParam?.bounds ?? rangeBounds(range, from, to, Date.now());
      const page = await listExperimentTraces(
        experimentId,
        { filter, pageToken: pageParam?.token, maxResults: TRACES_PAGE_SIZE, ...bounds },
        signal,
      );
      return { ...page, bounds };
    },
    initialPageParam: undefined as PageParam | undefined,
    getNextPageParam: (last): PageParam | undefined =>
      last.next_page_token ? { token: last.next_page_token, bounds: last.bounds } : undefined,
  });
}

export function useTraceList(
  experimentId: string,
  filter: string,
  range: TimeRange,
  from: number | null,
  to: number | null,
) {
  return useInfiniteQuery({
    ...traceListQuery(experimentId, filter, range, from, to),
    placeholderData: keepPreviousData,
  });
}

export function traceQuery(traceId: string) {
  return queryOptions({ queryKey: ['trace', traceId], queryFn: ({ signal }) => getTraceView(traceId, signal) });
}

export function useTrace(traceId: string) {
  return useQuery(traceQuery(traceId));
}

/** The newest traces linked to a run, for the run page. */
export function useRunTraces(runId: string, max: number) {
  return useQuery({
    queryKey: ['run-traces', runId, max],
    queryFn: ({ signal }) => listRunTraces(runId, { maxResults: max }, signal),
  });
}
