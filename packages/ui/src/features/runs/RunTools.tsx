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
        title={pinned ? `Unpin ${name}` : `Pin ${name} to the top`}
        onClick={() => actions.togglePinned(runId)}
      >
        <PinIcon filled={pinned} />
      </button>
      <button
        type="button"
        aria-pressed={hidden}
        aria-label={`Hide run ${name}`}
        title={hidden ? `Show ${name} again` : `Hide ${name} from the table and charts`}
        onClick={() => actions.toggleHidden(runId)}
      >
        <EyeIcon crossed={hidden} />
      </button>
      <input
        type="color"
        aria-label={`Colour of run ${name}`}
        title={`Colour of ${name} in the charts`}
        value={color}
        onChange={(e) => actions.setColor(runId, e.target.value)}
      />
    </span>
  );
}

function PinIcon({ filled }: { filled: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M6 1h4l-.5 5 2.5 2.5V10H9v5l-1 1-1-1v-5H4V8.5L6.5 6z"
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.2"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function EyeIcon({ crossed }: { crossed: boolean }) {
  return (
    <svg width="15" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <circle cx="8" cy="8" r="2.2" fill="currentColor" />
      {crossed ? <path d="M2 14 14 2" stroke="currentColor" strokeWidth="1.4" /> : null}
    </svg>
  );
}
