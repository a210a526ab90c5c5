/** Writes on one run (MLflow's set-tag/delete-tag) and its logged model's MLmodel (Trove's native API). */
import { apiPost, troveGet } from './client.ts';
import type { MlModelInfo } from './trove.ts';

export const setRunTag = (runId: string, key: string, value: string) => apiPost<unknown>('/runs/set-tag', { run_id: runId, key, value });
export const deleteRunTag = (runId: string, key: string) => apiPost<unknown>('/runs/delete-tag', { run_id: runId, key });

/** MLflow keeps a run's Markdown description in this tag. */
export const NOTE_TAG = 'mlflow.note.content';

export interface RunModel {
  mlmodel?: MlModelInfo;
  input_example?: unknown;
  mlmodel_error?: string;
}

/** The parsed MLmodel of the model logged under `path` (a folder) in the run's artifacts. */
export const getRunModel = (runId: string, path: string, signal?: AbortSignal) => troveGet<RunModel>(`/runs/${encodeURIComponent(runId)}/mlmodel`, { path }, signal);
