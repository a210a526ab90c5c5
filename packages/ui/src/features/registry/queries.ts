import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRegisteredModel, searchModelVersions, searchRegisteredModels } from '../../api/mlflow.ts';
import { stringLiteral } from '../../lib/filter.ts';

export function useModelSearch(filter: string) {
  return useInfiniteQuery({
    queryKey: ['registered-models', filter],
    queryFn: ({ pageParam, signal }) => searchRegisteredModels({ filter, pageToken: pageParam, maxResults: 100 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPageToken : undefined),
    placeholderData: keepPreviousData,
  });
}

export function useModel(name: string) {
  return useQuery({ queryKey: ['registered-model', name], queryFn: ({ signal }) => getRegisteredModel(name, signal) });
}

export function useModelVersions(name: string) {
  return useQuery({ queryKey: ['model-versions', name], queryFn: ({ signal }) => searchModelVersions(`name = ${stringLiteral(name)}`, signal) });
}
