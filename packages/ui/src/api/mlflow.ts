/** The MLflow endpoints the UI uses (reference §19), one function each. */
import type { ViewType } from '@trove/protocol';
import { apiGet, apiPost, artifactUrl } from './client.ts';
import type { Experiment, FileInfo, LoggedModel, ModelVersion, Page, RegisteredModel, Run } from './types.ts';

export type { ViewType } from '@trove/protocol';
export { artifactUrl };

export async function searchExperiments(
  q: { filter?: string; pageToken?: string; maxResults?: number; orderBy?: string[]; viewType?: ViewType },
  signal?: AbortSignal,
): Promise<Page<Experiment>> {
  const r = await apiGet<{ experiments?: Experiment[]; next_page_token?: string }>(
    '/experiments/search',
    {
      filter: q.filter,
      page_token: q.pageToken,
      max_results: q.maxResults ?? 100,
      order_by: q.orderBy,
      view_type: q.viewType,
    },
    signal,
  );
  return { items: r.experiments ?? [], nextPageToken: r.next_page_token || undefined };
}

export async function getExperiment(id: string, signal?: AbortSignal): Promise<Experiment> {
  return (await apiGet<{ experiment: Experiment }>('/experiments/get', { experiment_id: id }, signal)).experiment;
}

export interface RunSearch {
  experimentIds: string[];
  filter?: string;
  viewType?: ViewType;
  orderBy?: string[];
  pageToken?: string;
  maxResults?: number;
}

export async function searchRuns(q: RunSearch, signal?: AbortSignal): Promise<Page<Run>> {
  const r = await apiPost<{ runs?: Run[]; next_page_token?: string }>(
    '/runs/search',
    {
      experiment_ids: q.experimentIds,
      filter: q.filter || undefined,
      run_view_type: q.viewType,
      order_by: q.orderBy,
      page_token: q.pageToken,
      max_results: q.maxResults ?? 200,
    },
    signal,
  );
  return { items: r.runs ?? [], nextPageToken: r.next_page_token || undefined };
}

export async function getRun(runId: string, signal?: AbortSignal): Promise<Run> {
  return (await apiGet<{ run: Run }>('/runs/get', { run_id: runId }, signal)).run;
}

export async function listArtifacts(runId: string, path: string, signal?: AbortSignal): Promise<FileInfo[]> {
  const r = await apiGet<{ files?: FileInfo[] }>('/artifacts/list', { run_id: runId, path: path || undefined }, signal);
  return r.files ?? [];
}

export async function searchRegisteredModels(
  q: { filter?: string; pageToken?: string; maxResults?: number },
  signal?: AbortSignal,
): Promise<Page<RegisteredModel>> {
  const r = await apiGet<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(
    '/registered-models/search',
    { filter: q.filter, page_token: q.pageToken, max_results: q.maxResults ?? 100 },
    signal,
  );
  return { items: r.registered_models ?? [], nextPageToken: r.next_page_token || undefined };
}

export async function getRegisteredModel(name: string, signal?: AbortSignal): Promise<RegisteredModel> {
  return (await apiGet<{ registered_model: RegisteredModel }>('/registered-models/get', { name }, signal))
    .registered_model;
}

export async function searchModelVersions(filter: string, signal?: AbortSignal): Promise<ModelVersion[]> {
  const r = await apiGet<{ model_versions?: ModelVersion[] }>(
    '/model-versions/search',
    { filter, max_results: 1000, order_by: ['version_number DESC'] },
    signal,
  );
  return r.model_versions ?? [];
}

/** MLflow 3's logged models of the experiments that match `filter` (e.g. `source_run_id = '…'`). */
export async function searchLoggedModels(
  q: { experimentIds: string[]; filter?: string; maxResults?: number },
  signal?: AbortSignal,
): Promise<Page<LoggedModel>> {
  const r = await apiPost<{ models?: LoggedModel[]; next_page_token?: string }>(
    '/logged-models/search',
    { experiment_ids: q.experimentIds, filter: q.filter || undefined, max_results: q.maxResults ?? 100 },
    signal,
  );
  return { items: r.models ?? [], nextPageToken: r.next_page_token || undefined };
}
