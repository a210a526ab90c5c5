import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createView, deleteView, listViews, updateView, type ViewState } from '../../api/views.ts';

export function useViews(experimentId: string) {
  return useQuery({ queryKey: ['views', experimentId], queryFn: ({ signal }) => listViews(experimentId, signal) });
}

/** Create, update (state and/or name) and delete; each refreshes the experiment's list. */
export function useViewMutations(experimentId: string) {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: ['views', experimentId] });
  return {
    create: useMutation({
      mutationFn: (v: { name: string; state: ViewState }) => createView(experimentId, v.name, v.state),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: (v: { id: string; name?: string; state?: ViewState }) =>
        updateView(v.id, { name: v.name, state: v.state }),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteView(id), onSuccess }),
  };
}
