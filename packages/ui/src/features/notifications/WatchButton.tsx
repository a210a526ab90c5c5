import type { WatchTarget } from '../../api/notifications.ts';
import { useCurrentUser } from '../../components/UserField.tsx';
import { useWatch } from './queries.ts';

/** Watch / Unwatch a model, experiment or run: its events then reach the user's inbox. */
export function WatchButton({ target }: { target: WatchTarget }) {
  const user = useCurrentUser();
  const { watching, loaded, toggle } = useWatch(target, user);
  if (!user) return null;
  return (
    <button
      type="button"
      className="watch-button"
      aria-pressed={watching}
      disabled={!loaded || toggle.isPending}
      onClick={() => toggle.mutate(!watching)}
      title={watching ? 'Stop getting notifications about this' : 'Get notifications about this'}
    >
      {watching ? '★ Watching' : '☆ Watch'}
    </button>
  );
}
