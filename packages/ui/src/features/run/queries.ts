import { useQuery } from '@tanstack/react-query';
import { getRun, listArtifacts } from '../../api/mlflow.ts';

export function useRun(runId: string | undefined) {
  return useQuery({ queryKey: ['run', runId], queryFn: ({ signal }) => getRun(runId!, signal), enabled: !!runId });
}

export function useArtifactList(runId: string, dir: string, enabled = true) {
  return useQuery({ queryKey: ['artifacts', runId, dir], queryFn: ({ signal }) => listArtifacts(runId, dir, signal), enabled });
}
