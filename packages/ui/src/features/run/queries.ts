import { queryOptions, useQuery } from '@tanstack/react-query';
import { getRun, listArtifacts } from '../../api/mlflow.ts';

export function runQuery(runId: string | undefined) {
  return queryOptions({ queryKey: ['run', runId], queryFn: ({ signal }) => getRun(runId!, signal), enabled: !!runId });
}

export function useRun(runId: string | undefined) {
  return useQuery(runQuery(runId));
}

export function useArtifactList(runId: string, dir: string, enabled = true) {
  return useQuery({
    queryKey: ['artifacts', runId, dir],
    queryFn: ({ signal }) => listArtifacts(runId, dir, signal),
    enabled,
  });
}
