import { queryOptions, useQuery } from '@tanstack/react-query';
import { getRun, searchRuns } from '../../api/mlflow.ts';
import type { Run } from '../../api/types.ts';

const quote = (s: string) => `'${s.replaceAll("'", "\\'")}'`;

/**
 * The compared runs in the order asked for. With the experiment known, one `runs/search` for
 * `attributes.run_id IN (…)` fetches them all (100 `runs/get` calls queue six at a time in the
 * browser); runs it does not return (other experiments) are read one by one. Runs that cannot be
 * read are left out and the first error is reported.
 */
export async function fetchCompareRuns(
  ids: readonly string[],
  experimentId: string,
  signal?: AbortSignal,
): Promise<{ runs: Run[]; error: unknown }> {
  const found = new Map<string, Run>();
  if (experimentId && ids.length > 0) {
    const page = await searchRuns(
      {
        experimentIds: [experimentId],
        filter: `attributes.run_id IN (${ids.map(quote).join(', ')})`,
        viewType: 'ALL',
        maxResults: ids.length,
      },
      signal,
    );
    for (const r of page.items) found.set(r.info.run_id, r);
  }
  const rest = await Promise.allSettled(ids.filter((id) => !found.has(id)).map((id) => getRun(id, signal)));
  for (const r of rest) if (r.status === 'fulfilled') found.set(r.value.info.run_id, r.value);
  const failed = rest.find((r) => r.status === 'rejected');
  return { runs: ids.map((id) => found.get(id)).filter((r): r is Run => r !== undefined), error: failed?.reason };
}

export function compareRunsQuery(ids: readonly string[], experimentId: string) {
  return queryOptions({
    queryKey: ['compare-runs', experimentId, ids],
    queryFn: ({ signal }) => fetchCompareRuns(ids, experimentId, signal),
  });
}

export function useCompareRuns(ids: readonly string[], experimentId: string) {
  return useQuery(compareRunsQuery(ids, experimentId));
}
