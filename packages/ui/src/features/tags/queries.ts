import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { listTagColors, listTagKeys } from '../../api/tags.ts';

export function useTagKeys(experimentId: string, includeSystem: boolean) {
  return useQuery({
    queryKey: ['tag-keys', experimentId, includeSystem],
    queryFn: ({ signal }) => listTagKeys(experimentId, includeSystem, signal),
    placeholderData: keepPreviousData,
  });
}

/** key → colour for the workspace; shared by every tag chip on the page. */
export function useTagColors(): Map<string, string> {
  const q = useQuery({ queryKey: ['tag-colors'], queryFn: ({ signal }) => listTagColors(signal), staleTime: 30_000 });
  const colors = q.data;
  return useMemo(() => new Map((colors ?? []).map((c) => [c.key, c.color])), [colors]);
}

/** After a tag write: keys, colours, runs and run pages may all show the change. */
export function useRefreshTags(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await Promise.all(
      ['tag-keys', 'tag-colors', 'runs', 'run'].map((k) => client.invalidateQueries({ queryKey: [k] })),
    );
  };
}
