import { Notifications } from '@trove/protocol';
import type { Router } from '../http/router.ts';
import type { Services } from '../services/index.ts';

/** Watches, the inbox and notification settings of the signed-in user (`/api/trove/v1`). */
export function registerNotificationRoutes(r: Router, { notifications, notificationSettings }: Services): void {
  r.native('PUT', '/watches', Notifications.Watch, async ({ workspace, input, actor }) =>
    notifications.watch(workspace, input, actor),
  );
  r.native('DELETE', '/watches', Notifications.Watch, async ({ workspace, input, actor }) =>
    notifications.unwatch(workspace, input, actor),
  );
  r.native('GET', '/watches/status', Notifications.WatchStatus, async ({ workspace, input, actor }) =>
    notifications.status(workspace, input, actor),
  );
  r.native('GET', '/watches', {}, async ({ workspace, actor }) => notifications.list(workspace, actor));
  r.native('GET', '/notifications', Notifications.ListNotifications, async ({ input, actor }) =>
    notifications.inbox(input, actor),
  );
  r.native('GET', '/notifications/unread-count', {}, async ({ actor }) => notifications.unreadCount(actor));
  r.native('POST', '/notifications/read', Notifications.MarkRead, async ({ input, actor }) =>
    notifications.markRead(input, actor),
  );
  r.native('GET', '/me/notification-preferences', {}, async ({ actor }) => notificationSettings.get(actor));
  r.native('PUT', '/me/notification-preferences', Notifications.SetPreferences, async ({ input, actor }) =>
    notificationSettings.put(input, actor),
  );
  r.native('POST', '/me/notification-preferences/test', Notifications.SendTest, async ({ input, actor }) =>
    notificationSettings.sendTest(input.channel, actor),
  );
}
