import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listTokens } from '../../api/identity.ts';

export function useTokens() {
  return useQuery({ queryKey: ['auth-tokens'], queryFn: ({ signal }) => listTokens(signal) });
}

/** A token write; the list is read again afterwards. */
export function useTokenMutation<A, R>(fn: (arg: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ['auth-tokens'] }) });
}
