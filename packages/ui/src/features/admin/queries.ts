import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type AuditFilter, listGroups, listMembers, listUsers, searchAudit } from '../../api/identity.ts';

export function useUsers() {
  return useQuery({ queryKey: ['admin-users'], queryFn: ({ signal }) => listUsers(signal) });
}

export function useGroups() {
  return useQuery({ queryKey: ['admin-groups'], queryFn: ({ signal }) => listGroups(signal) });
}

export function useMembers() {
  return useQuery({ queryKey: ['workspace-members'], queryFn: ({ signal }) => listMembers(signal) });
}

/** The audit log, newest first, a page at a time ("load more" follows `next_page_token`). */
export function useAudit(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam, signal }) => searchAudit(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token,
    staleTime: 0,
  });
}

/** An admin write; users, groups and members are read again afterwards (they name each other). */
export function useAdminMutation<A, R = unknown>(fn: (arg: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      for (const key of ['admin-users', 'admin-groups', 'workspace-members', 'audit'])
        void qc.invalidateQueries({ queryKey: [key] });
    },
  });
}
