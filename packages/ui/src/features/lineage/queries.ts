import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getLineage } from '../../api/lineage.ts';

export const lineageQuery = (node: string, direction: string, depth: number) => ({
  queryKey: ['lineage', node, direction, depth],
  queryFn: ({ signal }: { signal: AbortSignal }) => getLineage({ node, direction, depth }, signal),
});

export function useLineage(node: string, direction: string, depth: number) {
  return useQuery({ ...lineageQuery(node, direction, depth), enabled: node !== '', placeholderData: keepPreviousData });
}
