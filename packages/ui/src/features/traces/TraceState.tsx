/** A trace's or span's state as a badge: OK, ERROR (highlighted), IN_PROGRESS, unset. */
export function TraceState({ state }: { state: string | null }) {
  const s = state ?? 'UNSET';
  const label = s === 'STATE_UNSPECIFIED' ? 'UNSET' : s;
  return <span className={`badge trace-state-${label.toLowerCase()}`}>{label}</span>;
}
