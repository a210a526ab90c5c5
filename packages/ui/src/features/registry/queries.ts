import { keepPreviousData, type QueryClient, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { getRegisteredModel, searchModelVersions, searchRegisteredModels } from '../../api/mlflow.ts';
import {
  getPolicy,
  getVersionHistory,
  getVersionPage,
  listComments,
  listRequests,
  modelActivity,
} from '../../api/trove.ts';
import { stringLiteral } from '../../lib/filter.ts';
import { throttle, useLiveTopic } from '../../lib/live.ts';

export function useModelSearch(filter: string) {
  return useInfiniteQuery({
    queryKey: ['registered-models', filter],
    queryFn: ({ pageParam, signal }) =>
      searchRegisteredModels({ filter, pageToken: pageParam, maxResults: 100 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length > 0 ? last.nextPageToken : undefined),
    placeholderData: keepPreviousData,
  });
}

export function useModel(name: string) {
  return useQuery({ queryKey: ['registered-model', name], queryFn: ({ signal }) => getRegisteredModel(name, signal) });
}

export function useModelVersions(name: string) {
  return useQuery({
    queryKey: ['model-versions', name],
    queryFn: ({ signal }) => searchModelVersions(`name = ${stringLiteral(name)}`, signal),
  });
}

export const modelHref = (name: string) => `/models/${encodeURIComponent(name)}`;

export const versionHref = (name: string, version: string) =>
  `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;

export function useVersionPage(name: string, version: string) {
  return useQuery({
    queryKey: ['model-version-page', name, version],
    queryFn: ({ signal }) => getVersionPage(name, version, signal),
  });
}

/** The version's history; `metric`/`order` empty: the server's choice. */
export function useVersionHistory(name: string, version: string, metric: string, order: string) {
  return useQuery({
    queryKey: ['model-version-history', name, version, metric, order],
    queryFn: ({ signal }) => getVersionHistory(name, version, { metric, order }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useComments(name: string, version: string) {
  return useQuery({
    queryKey: ['comments', name, version],
    queryFn: ({ signal }) => listComments(name, version, signal),
  });
}

export function useRequests(name: string, status: string | undefined) {
  return useQuery({
    queryKey: ['review-requests', name, status ?? 'all'],
    queryFn: ({ signal }) => listRequests(name, status, signal),
  });
}

export function usePolicy(name: string) {
  return useQuery({ queryKey: ['review-policy', name], queryFn: ({ signal }) => getPolicy(name, signal) });
}

export function useActivity(name: string) {
  return useInfiniteQuery({
    queryKey: ['model-activity', name],
    queryFn: ({ pageParam, signal }) => modelActivity(name, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token || undefined,
  });
}

/** After a registry write: everything a model's pages show may have changed. */
export function invalidateModel(qc: QueryClient, name: string) {
  for (const key of [
    'registered-model',
    'model-versions',
    'model-version-page',
    'comments',
    'review-requests',
    'review-policy',
    'model-activity',
  ])
    void qc.invalidateQueries({ queryKey: [key, name] });
  void qc.invalidateQueries({ queryKey: ['registered-models'] });
}

/**
 * Keeps a model's pages current without polling: any event on `model:<name>` (registry changes,
 * comments, review requests and decisions, deployments) re-reads what the pages show, at most once a second.
 */
export function useLiveModel(name: string): void {
  const qc = useQueryClient();
  const reread = useMemo(() => throttle(() => invalidateModel(qc, name), 1000), [qc, name]);
  useLiveTopic([`model:${name}`], reread);
}
