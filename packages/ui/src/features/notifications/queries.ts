import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notifications } from '@trove/protocol';
import {
  getPreferences,
  listInbox,
  markRead,
  savePreferences,
  setWatching,
  unreadCount,
  type WatchTarget,
  watchStatus,
} from '../../api/notifications.ts';

/** The bell's count: polled every 30 s (and on focus) until live events reach the UI. */
export function useUnreadCount(user: string) {
  return useQuery({
    queryKey: ['notifications', 'unread', user],
    queryFn: ({ signal }) => unreadCount(signal),
    enabled: user !== '',
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
}

export function useInbox(user: string, unread: boolean) {
  return useInfiniteQuery({
    queryKey: ['notifications', 'inbox', user, unread],
    queryFn: ({ pageParam, signal }) => listInbox(unread, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token,
    enabled: user !== '',
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

export function useWatch(target: WatchTarget, user: string) {
  const client = useQueryClient();
  const key = ['watch', target, user];
  const status = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => watchStatus(target, signal),
    enabled: user !== '',
  });
  const toggle = useMutation({
    mutationFn: (on: boolean) => setWatching(target, on),
    onSuccess: (r) => client.setQueryData(key, r),
  });
  return { watching: status.data?.watching ?? false, loaded: status.isSuccess, toggle };
}

export function usePreferences(user: string) {
  return useQuery({
    queryKey: ['notification-preferences', user],
    queryFn: ({ signal }) => getPreferences(signal),
    enabled: user !== '',
  });
}

export function useSavePreferences(user: string) {
  const client = useQueryClient();
  const key = ['notification-preferences', user];
  return useMutation({
    mutationFn: savePreferences,
    // A box shows its new state at once (it is controlled by the cached answer), not after the round trip.
    onMutate: (body) => {
      const old = client.getQueryData<Notifications.PreferencesResponse>(key);
      if (!old || !body.preferences) return;
      const changed = (p: { kind: string; channel: string }) =>
        body.preferences?.find((c) => c.kind === p.kind && c.channel === p.channel);
      client.setQueryData(key, {
        ...old,
        preferences: old.preferences.map((p) => ({ ...p, enabled: changed(p)?.enabled ?? p.enabled })),
      });
    },
    onSuccess: (r) => client.setQueryData(key, r),
    onError: () => client.invalidateQueries({ queryKey: key }),
  });
}
