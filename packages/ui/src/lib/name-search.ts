/** The global search's results as one keyboard-navigable list. Pure. */

export interface NameSearchHits {
  experiments: { experiment_id: string; name: string }[];
  registered_models: { name: string }[];
  runs: { run_id: string; run_name: string; experiment_id: string; experiment_name: string }[];
  keys?: { kind: 'metric' | 'param'; key: string; experiment_id: string; experiment_name: string }[];
}

export interface SearchItem {
  kind: 'Experiment' | 'Model' | 'Run' | 'Metric' | 'Param';
  label: string;
  detail?: string;
  /** The app path the item opens. */
  href: string;
}

/** Experiments, then models, runs and keys: the order the list shows and the arrow keys walk. */
export function searchItems(hits: NameSearchHits): SearchItem[] {
  return [
    ...hits.experiments.map(
      (e): SearchItem => ({
        kind: 'Experiment',
        label: e.name,
        href: `/experiments/${encodeURIComponent(e.experiment_id)}`,
      }),
    ),
    ...hits.registered_models.map(
      (m): SearchItem => ({ kind: 'Model', label: m.name, href: `/models/${encodeURIComponent(m.name)}` }),
    ),
    ...hits.runs.map(
      (r): SearchItem => ({
        kind: 'Run',
        label: r.run_name || r.run_id,
        detail: r.experiment_name,
        href: `/experiments/${encodeURIComponent(r.experiment_id)}/runs/${encodeURIComponent(r.run_id)}`,
      }),
    ),
    ...(hits.keys ?? []).map(
      (k): SearchItem => ({
        kind: k.kind === 'metric' ? 'Metric' : 'Param',
        label: k.key,
        detail: k.experiment_name,
        href: keyColumnHref(k.experiment_id, `${k.kind}s.${k.key}`),
      }),
    ),
  ];
}

/**
 * The experiment's runs table showing that one key's column, sorted by it (the experiment page's
 * `col` and `sort` URL fields; `features/runs/experiment-state.ts`).
 */
export function keyColumnHref(experimentId: string, columnId: string): string {
  const query = new URLSearchParams([
    ['col', columnId],
    ['sort', `${columnId}:asc`],
  ]);
  return `/experiments/${encodeURIComponent(experimentId)}?${query}`;
}

/** The active index after an arrow key: wraps around; -1 (nothing active) when the list is empty. */
export function moveActive(current: number, delta: 1 | -1, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return delta === 1 ? 0 : count - 1;
  return (current + delta + count) % count;
}

/** True when "/" should focus the search: not while the user types into a field. */
export function shortcutTarget(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!target) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  return !(tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable);
}
