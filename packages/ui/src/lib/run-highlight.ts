/**
 * The one run under the pointer, shared by the runs table and every line chart: hovering a row
 * highlights that run's line in each chart, hovering a line highlights its row. A tiny external
 * store read with `useSyncExternalStore`, so a change re-renders only the rows whose answer changed,
 * and charts subscribe directly (no React render on a chart hover).
 */
import { useSyncExternalStore } from 'react';

let current: string | null = null;
const listeners = new Set<() => void>();

export function highlightRun(runId: string | null): void {
  if (runId === current) return;
  current = runId;
  for (const listener of listeners) listener();
}

export const highlightedRun = (): string | null => current;

export function subscribeHighlight(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether `runId` is the highlighted run; re-renders the caller only when that answer flips. */
export function useIsRunHighlighted(runId: string): boolean {
  return useSyncExternalStore(subscribeHighlight, () => current === runId);
}
