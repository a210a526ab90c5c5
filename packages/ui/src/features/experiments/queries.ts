import { keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getExperiment, searchExperiments, type ViewType } from '../../api/mlflow.ts';

export function useExperimentSearch(
  filter: string,
  orderBy: string[],
  enabled = true,
  viewType: ViewType = 'ACTIVE_ONLY',
) {
  return useInfiniteQuery({
    enabled,
    queryKey: ['experiments', filter, orderBy, viewType],
    queryFn: ({ pageParam, signal }) =>
      searchExperiments({ filter, orderBy, viewType, pageToken: pageParam, maxResults: 100 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPageToken : undefined),
    placeholderData: keepPreviousData,
  });
}

export function experimentQuery(id: string | undefined) {
  return queryOptions({
    queryKey: ['experiment', id],
    queryFn: ({ signal }) => getExperiment(id!, signal),
    enabled: !!id,
  });
}

export function useExperiment(id: string | undefined) {
  return useQuery(experimentQuery(id));
}
