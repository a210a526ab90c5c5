import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import { getTraceOutline, getTraceSpan, listExperimentTraces, listRunTraces } from '../../api/traces.ts';
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

/** The trace with its spans' outlines (no span data): the tree and waterfall draw from it alone. */
export function traceQuery(traceId: string) {
  return queryOptions({
    queryKey: ['trace', traceId],
    queryFn: ({ signal }) => getTraceOutline(traceId, signal),
    // A finished trace changes only by tags and assessments (which invalidate it): no refetch of
    // thousands of spans on every window focus, and no deep compare of them when one arrives.
    staleTime: 60_000,
    structuralSharing: false,
  });
}

export function useTrace(traceId: string) {
  return useQuery(traceQuery(traceId));
}

/** One span's data, fetched when the span is selected. */
export function traceSpanQuery(traceId: string, spanId: string) {
  return queryOptions({
    queryKey: ['trace-span', traceId, spanId],
    queryFn: ({ signal }) => getTraceSpan(traceId, spanId, signal),
    staleTime: 60_000,
    enabled: spanId !== '',
  });
}

export function useTraceSpan(traceId: string, spanId: string) {
  return useQuery(traceSpanQuery(traceId, spanId));
}

/** The newest traces linked to a run, for the run page. */
export function useRunTraces(runId: string, max: number) {
  return useQuery({
    queryKey: ['run-traces', runId, max],
    queryFn: ({ signal }) => listRunTraces(runId, { maxResults: max }, signal),
  });
}
