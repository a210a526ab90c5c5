import { useMemo } from 'react';
import type { ViewType } from '../../api/mlflow.ts';
import type { Run } from '../../api/types.ts';
import { missingParents, withParents } from './nest-parents.ts';
import { useRunsById } from './queries.ts';

/**
 * The runs the table arranges: the loaded ones, plus, while child runs nest, the parents no
 * loaded page holds yet (fetched by id), so every child shows under its parent.
 */
export function useNestParents(experimentId: string, runs: Run[], nesting: boolean, viewType: ViewType): Run[] {
  const missing = useMemo(() => (nesting ? missingParents(runs) : []), [nesting, runs]);
  // The same key while the same parents are missing, whatever else loads.
  const key = missing.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` describes `missing`
  const ids = useMemo(() => missing, [key]);
  const parents = useRunsById(experimentId, ids, viewType).data;
  return useMemo(() => (nesting && parents ? withParents(runs, parents) : runs), [nesting, parents, runs]);
}
