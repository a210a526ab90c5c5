/** Writes on one run (MLflow's set-tag/delete-tag), its metrics' min/max, its logged model's MLmodel (Trove's native API), and the runs CSV's URL. */
import type { MetricSummariesResponse, ModelPages } from '@trove/protocol';
import { apiPost, troveGet, troveUrl } from './client.ts';

export const setRunTag = (runId: string, key: string, value: string) =>
  apiPost<unknown>('/runs/set-tag', { run_id: runId, key, value });
export const deleteRunTag = (runId: string, key: string) =>
  apiPost<unknown>('/runs/delete-tag', { run_id: runId, key });

/** MLflow keeps a run's Markdown description in this tag. */
export const NOTE_TAG = 'mlflow.note.content';

export type RunModel = ModelPages.MlModelResponse;

/** The parsed MLmodel of the model logged under `path` (a folder) in the run's artifacts. */
export const getRunModel = (runId: string, path: string, signal?: AbortSignal) =>
  troveGet<ModelPages.MlModelResponse>(`/runs/${encodeURIComponent(runId)}/mlmodel`, { path }, signal);

/** Each metric of the run with its min, max (NaN left out) and point count, sorted by key. */
export const getMetricSummaries = (runId: string, signal?: AbortSignal) =>
  troveGet<MetricSummariesResponse>(`/runs/${encodeURIComponent(runId)}/metric-summaries`, {}, signal);

/** The CSV of every run matching a search (all pages), with these columns; the server streams it. */
export const runsCsvUrl = (
  experimentId: string,
  q: { filter: string; orderBy: readonly string[]; viewType: string; columns: readonly string[] },
) =>
  troveUrl(`/experiments/${encodeURIComponent(experimentId)}/runs.csv`, {
    filter: q.filter,
    order_by: q.orderBy,
    run_view_type: q.viewType,
    column: q.columns,
  });
