import { useQueryClient } from '@tanstack/react-query';
import { Link } from '../../app/router.tsx';
import { useCurrentUser } from '../../components/UserField.tsx';
import { useLiveTopic } from '../../lib/live.ts';
import { useUnreadCount } from './queries.ts';

/**
 * New notifications of this workspace arrive on the live stream (`user:<me>`), which refreshes the
 * count at once; the 30 s poll covers other workspaces and a stream that cannot connect.
 */
function useInboxStream(user: string): void {
  const client = useQueryClient();
  useLiveTopic(user ? [`user:${user}`] : [], (e) => {
    if (e.name === 'notification' || e.name === 'resync')
      void client.invalidateQueries({ queryKey: ['notifications'] });
  });
}

/** The header's bell: the unread count, a link to the inbox. Nothing without a user to ask about. */
export function NotificationBell() {
  const user = useCurrentUser();
  const count = useUnreadCount(user).data?.unread ?? 0;
  useInboxStream(user);
  if (!user) return null;
  const label = count === 0 ? 'Notifications' : `Notifications: ${count} unread`;
  return (
    <Link to="/notifications" className="notification-bell" aria-label={label} title={label}>
      <span aria-hidden="true">🔔</span>
      {count > 0 ? (
        <span className="notification-count" data-testid="unread-count">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Link>
  );
}
