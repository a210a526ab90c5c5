import { useMemo } from 'react';
import type { Run } from '../../api/types.ts';
import { encodeRunColors, parseRunColors, type RunColors, runColor } from '../../lib/run-colors.ts';
import type { RunToolsActions } from './RunTools.tsx';
import type { Arrangement } from './run-rows.ts';

interface ArrangementUrl {
  group: string;
  fold: string[] | null;
  pin: string[] | null;
  hide: string[] | null;
  showhidden: boolean;
  nest: boolean;
  color: string[] | null;
  expand: string[] | null;
}

type Patch = Partial<Pick<ArrangementUrl, 'fold' | 'pin' | 'hide' | 'color' | 'expand'>>;

const toggled = (list: readonly string[] | null, id: string): string[] | null => {
  const current = list ?? [];
  const next = current.includes(id) ? current.filter((x) => x !== id) : [...current, id];
  return next.length > 0 ? next : null;
};

/** The runs table's arrangement read from the URL state, and the row actions that write it back. */
export function useRunArrangement(
  state: ArrangementUrl,
  setState: (patch: Patch, options?: { replace?: boolean }) => void,
  runs: readonly Run[],
) {
  const { group, fold, pin, hide, showhidden, nest, color, expand } = state;
  const arrangement = useMemo<Arrangement>(
    () => ({
      groupBy: group,
      pinned: pin ?? [],
      hidden: hide ?? [],
      showHidden: showhidden,
      nest,
      expanded: expand ?? [],
      collapsed: fold ?? [],
    }),
    [group, pin, hide, showhidden, nest, expand, fold],
  );
  const colors = useMemo<RunColors>(() => parseRunColors(color), [color]);
  const actions = useMemo<RunToolsActions>(
    () => ({
      togglePinned: (id) => setState({ pin: toggled(pin, id) }),
      toggleHidden: (id) => setState({ hide: toggled(hide, id) }),
      setColor: (id, c) => setState({ color: encodeRunColors({ ...colors, [id]: c }) }, { replace: true }),
      toggleExpanded: (id) => setState({ expand: toggled(expand, id) }, { replace: true }),
      toggleGroup: (key) => setState({ fold: toggled(fold, key) }, { replace: true }),
    }),
    [setState, pin, hide, colors, expand, fold],
  );
  // Every loaded run's colour, chosen or from its id: what the swatches and charts show.
  const runColors = useMemo(
    () => Object.fromEntries(runs.map((r) => [r.info.run_id, runColor(r.info.run_id, colors)])),
    [runs, colors],
  );
  const anyRunning = useMemo(() => {
    const hidden = new Set(arrangement.hidden);
    return runs.some((r) => r.info.status === 'RUNNING' && (showhidden || !hidden.has(r.info.run_id)));
  }, [runs, arrangement.hidden, showhidden]);
  return { arrangement, colors, runColors, actions, anyRunning };
}
