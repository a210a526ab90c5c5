import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getProject, listProjects, listWorkspaces } from '../../api/projects.ts';

export function useWorkspaces() {
  return useQuery({ queryKey: ['workspaces'], queryFn: ({ signal }) => listWorkspaces(signal), staleTime: 5 * 60_000 });
}

export function useProjects() {
  return useQuery({ queryKey: ['projects'], queryFn: ({ signal }) => listProjects(signal) });
}

export function useProject(id: string | undefined) {
  return useQuery({ queryKey: ['project', id], queryFn: ({ signal }) => getProject(id!, signal), enabled: !!id });
}

/** A project write; afterwards every project query is refetched (counts and memberships change together). */
export function useProjectMutation<A>(fn: (arg: A) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['projects'] });
      void qc.invalidateQueries({ queryKey: ['project'] });
    },
  });
}
