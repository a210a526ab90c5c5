import { queryOptions, useQuery } from '@tanstack/react-query';
import { getRun, listArtifacts, searchLoggedModels, searchModelVersions, searchRuns } from '../../api/mlflow.ts';
import { getMetricSummaries } from '../../api/runs.ts';
import { identifier, stringLiteral } from '../../lib/filter.ts';
import { groupStepFiles, STEP_FILE_FOLDERS, STEP_FILE_KINDS } from '../../lib/step-files.ts';

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

/** The files logged per step, every kind's folder listed at once and grouped by kind and key. */
export function useStepFiles(runId: string) {
  return useQuery({
    queryKey: ['step-files', runId],
    queryFn: async ({ signal }) => {
      const folders = STEP_FILE_KINDS.map((kind) => listArtifacts(runId, STEP_FILE_FOLDERS[kind], signal));
      const files = (await Promise.all(folders)).flat().filter((f) => !f.is_dir);
      return groupStepFiles(
        files.map((f) => (f.file_size === undefined ? { path: f.path } : { path: f.path, size: Number(f.file_size) })),
      );
    },
  });
}

/** Each metric's min, max and count; the latest values come with the run itself. */
export function useMetricSummaries(runId: string) {
  return useQuery({
    queryKey: ['metric-summaries', runId],
    queryFn: ({ signal }) => getMetricSummaries(runId, signal),
  });
}

/** The first 50 children (runs whose `mlflow.parentRunId` tag names this one), newest first. */
export function useChildRuns(experimentId: string, runId: string) {
  const filter = `${identifier('tags', 'mlflow.parentRunId')} = ${stringLiteral(runId)}`;
  return useQuery({
    queryKey: ['children', runId],
    queryFn: ({ signal }) => searchRuns({ experimentIds: [experimentId], filter, maxResults: 50 }, signal),
  });
}

/** Registered model versions whose source is this run. */
export function useRunModelVersions(runId: string) {
  return useQuery({
    queryKey: ['model-versions', 'by-run', runId],
    queryFn: ({ signal }) => searchModelVersions(`run_id = ${stringLiteral(runId)}`, signal),
  });
}

/** MLflow 3 logged models whose source run is this one. */
export function useRunLoggedModels(experimentId: string, runId: string) {
  return useQuery({
    queryKey: ['logged-models', experimentId, 'by-run', runId],
    queryFn: ({ signal }) =>
      searchLoggedModels({ experimentIds: [experimentId], filter: `source_run_id = ${stringLiteral(runId)}` }, signal),
  });
}
