import type { Notifications } from '@trove/protocol';
import { troveGet, troveSend } from './client.ts';

export type WatchTarget = { experiment_id: string } | { run_id: string } | { name: string };
const query = (t: WatchTarget) => new URLSearchParams(t as Record<string, string>).toString();

export const watchStatus = (t: WatchTarget, signal?: AbortSignal) =>
  troveGet<{ watching: boolean }>(`/watches/status?${query(t)}`, {}, signal);
export const setWatching = (t: WatchTarget, on: boolean) =>
  on
    ? troveSend<{ watching: boolean }>('PUT', '/watches', t)
    : troveSend<{ watching: boolean }>('DELETE', `/watches?${query(t)}`);

export const unreadCount = (signal?: AbortSignal) =>
  troveGet<{ unread: number }>('/notifications/unread-count', {}, signal);
export const listInbox = (unread: boolean, pageToken: string | undefined, signal?: AbortSignal) =>
  troveGet<Notifications.ListNotificationsResponse>(
    '/notifications',
    { ...(unread ? { unread: '1' } : {}), ...(pageToken ? { page_token: pageToken } : {}) },
    signal,
  );
export const markRead = (body: { ids: string[] } | { all: true }) =>
  troveSend<{ marked: number; unread: number }>('POST', '/notifications/read', body);

export const getPreferences = (signal?: AbortSignal) =>
  troveGet<Notifications.PreferencesResponse>('/me/notification-preferences', {}, signal);
export const savePreferences = (body: {
  preferences?: { kind: string; channel: string; enabled: boolean }[];
  email?: string;
  slack_url?: string;
  teams_url?: string;
}) => troveSend<Notifications.PreferencesResponse>('PUT', '/me/notification-preferences', body);
export const sendTest = (channel: 'email' | 'slack' | 'teams') =>
  troveSend<{ sent: boolean; error?: string }>('POST', '/me/notification-preferences/test', { channel });
