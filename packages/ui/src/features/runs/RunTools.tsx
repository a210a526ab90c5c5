/** A run's pin and hide toggles and its colour swatch (the colour the charts draw it in). */
export interface RunToolsActions {
  togglePinned: (runId: string) => void;
  toggleHidden: (runId: string) => void;
  setColor: (runId: string, color: string) => void;
  toggleExpanded: (runId: string) => void;
  toggleGroup: (key: string) => void;
}

export function RunTools({
  name,
  runId,
  pinned,
  hidden,
  color,
  actions,
}: {
  name: string;
  runId: string;
  pinned: boolean;
  hidden: boolean;
  color: string;
  actions: RunToolsActions;
}) {
  return (
    <span className="run-tools">
      <button
        type="button"
        aria-pressed={pinned}
        aria-label={`Pin run ${name}`}
        title={pinned ? 'Unpin' : 'Pin to the top'}
        onClick={() => actions.togglePinned(runId)}
      >
        {pinned ? '★' : '☆'}
      </button>
      <button
        type="button"
        aria-pressed={hidden}
        aria-label={`Hide run ${name}`}
        title={hidden ? 'Unhide' : 'Hide'}
        onClick={() => actions.toggleHidden(runId)}
      >
        {hidden ? '◌' : '●'}
      </button>
      <input
        type="color"
        aria-label={`Colour of run ${name}`}
        value={color}
        onChange={(e) => actions.setColor(runId, e.target.value)}
      />
    </span>
  );
}
